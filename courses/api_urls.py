from rest_framework.routers import SimpleRouter

from courses import api

router = SimpleRouter()
router.register("courses", api.CourseViewSet, basename="course")
router.register("course-types", api.CourseTypeViewSet, basename="course-type")

urlpatterns = router.urls
