"""Strings of Django and of the libraries that their own catalogues leave untranslated in
Vietnamese (Django 6.1's new ones; django-filter and django-simple-history have no Vietnamese
catalogue) and that the application's pages and admin show. Listed here so that makemessages
puts them in the project's catalogue, which LOCALE_PATHS reads before the libraries' own.
Nothing imports this module."""

from django.utils.translation import gettext_noop

DJANGO = [
    gettext_noop("- Select an option -"),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("ManagementForm data is missing or has been tampered with"),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("Messages"),
]

DJANGO_FILTER = [
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("Select a lookup."),
    gettext_noop("Range query expects two values."),
    gettext_noop("Unknown"),
    gettext_noop("Yes"),
    gettext_noop("No"),
]

SIMPLE_HISTORY = [
    gettext_noop("Change history: %s"),
    gettext_noop("History"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("None"),
    gettext_noop("Revert"),
    gettext_noop("Revert %s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Change History"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
]
