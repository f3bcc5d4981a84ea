"""The error pages every app shares."""

from __future__ import annotations

from django.shortcuts import render


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    reason = str(exception) if exception and " " in str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def error_500(request):
    return render(request, "500.html", status=500)
