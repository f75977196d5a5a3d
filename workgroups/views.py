from django.views.generic import DetailView, ListView

from .models import WorkingGroup


class WorkingGroupListView(ListView):
    model = WorkingGroup
    context_object_name = "groups"


class WorkingGroupDetailView(DetailView):
    model = WorkingGroup
    context_object_name = "group"
