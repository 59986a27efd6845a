app_name = "periodic"
urlpatterns = []
