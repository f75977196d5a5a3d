from django import forms
from django.utils.translation import gettext_lazy as _

from geraportal.accounts import roles
from geraportal.accounts.models import User
from geraportal.districts.models import District


class RoleGrantForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The person needs an account on the portal (they sign up themselves)."),
        error_messages={"required": _("Please enter the person's e-mail address.")},
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True, deleted_at__isnull=True).first()
        if user is None:
            raise forms.ValidationError(
                _("There is no active account with the address %(email)s. Ask the person to sign up first.")
                % {"email": email}
            )
        if self.role in roles.group_names(user):
            raise forms.ValidationError(_("This person already has this role."))
        return user


class DistrictForm(forms.ModelForm):
    class Meta:
        model = District
        fields = ["name", "slug", "kind", "parent", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = District.objects.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("None (a district of its own)")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(_("A district cannot be part of one of its own parts."))
            node = node.parent
        return parent
