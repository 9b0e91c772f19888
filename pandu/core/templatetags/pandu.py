from django import forms, template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap classes and its error state."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return field.as_widget()
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.NullBooleanSelect):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def rupiah(value):
    """Rp 1.500.000"""
    if value in (None, ""):
        return "—"
    return f"Rp {number_format(value, 0, force_grouping=True)}"
