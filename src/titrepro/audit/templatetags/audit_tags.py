from django import template

from titrepro.audit.labels import action_label

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    """``{{ entry.action|audit_action }}``: the action in words."""
    return action_label(action)
