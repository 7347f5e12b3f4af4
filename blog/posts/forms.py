from django import forms

from .models import Post


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        exclude = ()  # noqa: DJ006 - the admin's fieldsets choose the fields

    def validate_unique(self):
        # A slug already taken is no error: save() makes it unique with -2, -3
        # as WordPress does.
        exclude = {*self._get_validation_exclusions(), "slug"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class PostPasswordForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Password",
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.post.password_unlocks(password):
            raise forms.ValidationError("That password is not right. Please try again.")
        return password
