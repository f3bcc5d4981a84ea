from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from finsam.accounts.models import User
from finsam.organisation.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class FinsamUserAdmin(UserAdmin):
    inlines = [MembershipInline]
