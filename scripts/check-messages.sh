#!/usr/bin/env bash
# Every string the code marks for translation has a finished Swedish translation in locale/sv.
# Runs `makemessages` on a copy of the tree (the checkout is not touched) and lists what is
# missing or fuzzy; `make messages` then updates locale/sv for a translator to fill in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON_BIN:-$root/.venv/bin/python}
command -v msgattrib >/dev/null || "$root/scripts/apt-ensure.sh" gettext

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/manage.py" "$root/config" "$root/finsam" "$root/templates" "$root/locale" "$work/"
cd "$work"
"$python" manage.py makemessages -l sv --no-obsolete -v 0
po=locale/sv/LC_MESSAGES/django.po
untranslated=$(msgattrib --untranslated --no-wrap --no-location "$po" | grep '^msgid ' | grep -v '^msgid ""$' || true)
fuzzy=$(msgattrib --only-fuzzy --no-wrap --no-location "$po" | grep '^msgid ' | grep -v '^msgid ""$' || true)
if [ -n "$untranslated$fuzzy" ]; then
  echo "locale/sv lacks Swedish for strings in the code (run 'make messages' and translate):" >&2
  [ -z "$untranslated" ] || { echo "untranslated:" >&2; echo "$untranslated" >&2; }
  [ -z "$fuzzy" ] || { echo "fuzzy (check the guess, then remove the fuzzy flag):" >&2; echo "$fuzzy" >&2; }
  exit 1
fi
echo "locale/sv: every marked string has a Swedish translation"
