from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class NotificationSettingForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Also by e-mail"), choices=Kind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification is in the inbox; the ticked kinds also come by e-mail."),
    )
    daily_digest = forms.BooleanField(
        label=_("One daily digest instead of single e-mails"), required=False,
        help_text=_("The day's notifications in one e-mail, sent once a day."),
    )
    language = forms.ChoiceField(label=_("Language of notifications and e-mails"),
                                 choices=settings.LANGUAGES)

    @classmethod
    def initial_for(cls, setting, user):
        return {
            "email_kinds": [kind for kind in Kind.values if kind not in setting.no_email_kinds],
            "daily_digest": setting.daily_digest,
            "language": user.language,
        }

    def no_email_kinds(self):
        chosen = set(self.cleaned_data["email_kinds"])
        return [kind for kind in Kind.values if kind not in chosen]
