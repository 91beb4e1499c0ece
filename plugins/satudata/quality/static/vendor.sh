#!/usr/bin/env bash
# Re-create static/vendor/ from the npm packages that GX Data Docs pages load from CDNs, so that the
# pages render offline (dinas networks often reach no CDN). Run from anywhere; needs npm and tar.
# The mapping from the CDN URLs in GX's templates to these files is satudata.quality.datadocs.ASSETS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent bootstrap@4.3.1 jquery@3.7.1 popper.js@1.12.9 bootstrap-table@1.19.1 \
  bootstrap-datepicker@1.9.0 @forevolve/bootstrap-dark@1.1.0 @fortawesome/fontawesome-free@6.6.0 \
  vega@5.33.1 vega-lite@5.23.0 vega-embed@6.29.0 >/dev/null
take() {  # take <tarball> <destination folder> <path inside package>...
  local tgz="$1" dest="$out/$2"; shift 2
  mkdir -p "$dest"
  for p in "$@"; do tar -xzf "$tgz" -C "$work" "package/$p"; cp -r "$work/package/$p" "$dest/"; done
  rm -rf "$work/package"
}
rm -rf "$out"
take bootstrap-4.3.1.tgz bootstrap dist/css/bootstrap.min.css dist/js/bootstrap.min.js LICENSE
take jquery-3.7.1.tgz jquery dist/jquery.min.js LICENSE.txt
take popper.js-1.12.9.tgz popper dist/umd/popper.min.js
take bootstrap-table-1.19.1.tgz bootstrap-table dist/bootstrap-table.min.css dist/bootstrap-table.min.js \
  dist/extensions/filter-control/bootstrap-table-filter-control.min.css \
  dist/extensions/filter-control/bootstrap-table-filter-control.min.js LICENSE
take bootstrap-datepicker-1.9.0.tgz bootstrap-datepicker dist/css/bootstrap-datepicker.min.css \
  dist/js/bootstrap-datepicker.min.js LICENSE
take forevolve-bootstrap-dark-1.1.0.tgz bootstrap-dark dist/css/bootstrap-prefers-dark.css LICENSE
mkdir -p "$out/fontawesome/css"
tar -xzf fortawesome-fontawesome-free-6.6.0.tgz -C "$work" package/css/all.min.css package/webfonts package/LICENSE.txt
cp "$work/package/css/all.min.css" "$out/fontawesome/css/"
cp -r "$work/package/webfonts" "$work/package/LICENSE.txt" "$out/fontawesome/"
rm -rf "$work/package"
take vega-5.33.1.tgz vega build/vega.min.js  # BSD-3-Clause (package.json); no LICENSE file shipped
take vega-lite-5.23.0.tgz vega-lite build/vega-lite.min.js LICENSE
take vega-embed-6.29.0.tgz vega-embed build/vega-embed.min.js LICENSE
du -sh "$out"
