from django import forms, template
from django.utils.formats import number_format

register = template.Library()


def _bs(field, **attrs):
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
    return field.as_widget(attrs={"class": css, **attrs})


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap classes and its error state."""
    return _bs(field)


@register.filter
def bs_bare(field):
    """``bs`` for a field shown without a visible label (a one-line form beside a list): its
    label becomes the input's ``aria-label``, so a screen reader still names it."""
    return _bs(field, **{"aria-label": str(field.label)})


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def rupiah(value):
    """Rp 1.500.000"""
    if value in (None, ""):
        return "—"
    return f"Rp {number_format(value, 0, force_grouping=True)}"
