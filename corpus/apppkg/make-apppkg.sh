#!/bin/sh
# corpus/apppkg/make-apppkg.sh - rebuild the application-package image pairs.
#
# Run from the repository root:   sh corpus/apppkg/make-apppkg.sh
#
# Python: Debian's python3-designate 15.0.0 (bookworm) and 15.0.2
# (bookworm-security), whose egg-info directories dpkg-deb unpacks, and the
# wheel of python3-wheel-whl installed by pip itself (a dist-info with
# RECORD) into a virtual environment's site-packages.  Node: npm itself
# installs lodash 4.17.20 or 4.17.21, debug 2.6.9 (with its nested ms
# 2.0.0), ms 2.1.3 and @tootallnate/once 2.0.0 from the npm registry into
# app/node_modules, writing app/package-lock.json.  Ruby: Debian's ruby-rack
# gemspec (rubygems-integration), and for the gem pair the json gemspecs of
# libruby3.1 (json 2.6.1, a default gem) and ruby-json (2.6.3) placed in a
# gem home as `gem install` would (usr/local/bundle).  Only a few files of
# each package are kept (ORIGIN lists them) so the images stay small.
# Every tree is packed by corpus/oci-pack.py with every mtime at T.
#
# Needs: apt-get (bookworm and bookworm-security), dpkg-deb, python3 with
# pip, npm (the registry reachable), sha256sum.

set -eu
PROG=make-apppkg
. corpus/env.sh
[ -f corpus/apppkg/make-apppkg.sh ] || die "run from the repository root"
OUT=corpus/apppkg
T=1700000000
CREATED=2023-11-14T22:13:20Z

mkdir -p "$tmp/debs" "$tmp/npm"
(cd "$tmp/debs" && apt-get download -q python3-designate=1:15.0.0-4 \
    python3-designate=1:15.0.2-0+deb11u1 python3-wheel-whl=0.38.4-2 \
    python3-six=1.16.0-4 ruby-rack=2.2.22-0+deb12u1 \
    libruby3.1=3.1.7+really3.1.2-0+deb12u1 ruby-json=2.6.3+dfsg-1 \
    >/dev/null 2>&1) || die "apt-get download failed"
(cd "$tmp/debs" && sha256sum -c "$OLDPWD/$OUT/debs.sha256" >/dev/null) ||
    die "a download differs from debs.sha256"
for d in "$tmp"/debs/*.deb; do
    n=$(basename "$d" .deb)
    mkdir -p "$tmp/x/$n" && dpkg-deb -x "$d" "$tmp/x/$n"
done
X=$tmp/x

# keep ROOT SRC PATH...: copy PATH (relative) from SRC into ROOT
keep() {
    root=$1 src=$2; shift 2
    for p; do
        mkdir -p "$root/$(dirname "$p")"
        cp -p "$src/$p" "$root/$p"
    done
}

# npm installs into $tmp/npm/V, once per lodash version
npm_app() {
    v=$1 d=$tmp/npm/$1
    mkdir -p "$d/app"
    printf '{"name":"app","version":"1.0.0","private":true}\n' >"$d/app/package.json"
    (cd "$d/app" && npm install --no-audit --no-fund --ignore-scripts \
        --save-exact "lodash@$v" debug@2.6.9 ms@2.1.3 \
        @tootallnate/once@2.0.0 >/dev/null 2>&1) || die "npm install failed"
}
npm_app 4.17.20
npm_app 4.17.21

# the app's tree, trimmed: each package's package.json and a few files
app_tree() {
    root=$1 v=$2
    src=$tmp/npm/$v
    keep "$root" "$src" app/package.json app/package-lock.json \
        app/node_modules/lodash/package.json app/node_modules/lodash/add.js \
        app/node_modules/lodash/LICENSE \
        app/node_modules/debug/package.json app/node_modules/debug/src/debug.js \
        app/node_modules/debug/node_modules/ms/package.json \
        app/node_modules/debug/node_modules/ms/index.js \
        app/node_modules/ms/package.json app/node_modules/ms/index.js \
        app/node_modules/@tootallnate/once/package.json \
        app/node_modules/@tootallnate/once/dist/index.js
}

# the wheel, installed by pip into a virtual environment's site-packages;
# by name from a directory (--find-links), as a path would make pip write
# the temporary directory's name into dist-info/direct_url.json
SP=opt/venv/lib/python3.11/site-packages
python3 -m pip install -q --no-deps --no-index --no-compile \
    --find-links "$X/python3-wheel-whl_0.38.4-2_all/usr/share/python-wheels" \
    --target "$tmp/wheel/$SP" wheel==0.38.4 || die "pip install failed"

py_tree() {
    root=$1 ver=$2 deb=$3
    EI=usr/lib/python3/dist-packages/designate-$ver.egg-info
    keep "$root" "$X/$deb" $EI/PKG-INFO $EI/top_level.txt \
        usr/lib/python3/dist-packages/designate/version.py
    mkdir -p "$root/opt/venv/lib/python3.11"
    cp -a "$tmp/wheel/$SP" "$root/$SP"
    rm -rf "$root/$SP/bin"
    keep "$root" "$X/ruby-rack_2.2.22-0+deb12u1_all" \
        usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec
}

pack() {
    find "$1" -exec touch -h -d "@$T" {} +
    python3 corpus/oci-pack.py "$1" "$OUT/$2" "$CREATED"
}

D15_0=python3-designate_1%3a15.0.0-4_all
D15_2=python3-designate_1%3a15.0.2-0+deb11u1_all

# app-a: designate 15.0.0, lodash 4.17.20; app-b: 15.0.2, 4.17.21
py_tree "$tmp/a" 15.0.0 "$D15_0"; app_tree "$tmp/a" 4.17.20; pack "$tmp/a" app-a.tar
py_tree "$tmp/b" 15.0.2 "$D15_2"; app_tree "$tmp/b" 4.17.21; pack "$tmp/b" app-b.tar

# app-modified: app-a with a line added to a wheel module (RECORD unchanged)
# and to lodash's add.js, as a patch applied after install would
cp -a "$tmp/a" "$tmp/m"
echo '# patched after install' >>"$tmp/m/$SP/wheel/__init__.py"
echo '// patched after install' >>"$tmp/m/app/node_modules/lodash/add.js"
pack "$tmp/m" app-modified.tar

# app-added: app-a with six (egg-info), ms installed at a second place the
# lockfile does not know, and the json gem beside rack
cp -a "$tmp/a" "$tmp/p"
keep "$tmp/p" "$X/python3-six_1.16.0-4_all" \
    usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO \
    usr/lib/python3/dist-packages/six.py
mkdir -p "$tmp/p/app/node_modules/@tootallnate/once/node_modules"
cp -a "$tmp/a/app/node_modules/ms" "$tmp/p/app/node_modules/@tootallnate/once/node_modules/ms"
mkdir -p "$tmp/p/usr/share/rubygems-integration/all/specifications"
cp -p "$X/ruby-json_2.6.3+dfsg-1_amd64/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/specifications/json-2.6.3.gemspec" \
    "$tmp/p/usr/share/rubygems-integration/all/specifications/"
pack "$tmp/p" app-added.tar

# app-lockdrift: app-b's installed tree with app-a's lockfile
cp -a "$tmp/b" "$tmp/l"
cp -p "$tmp/a/app/package-lock.json" "$tmp/l/app/package-lock.json"
pack "$tmp/l" app-lockdrift.tar

# gem-a, gem-b: the json gem 2.6.1 then 2.6.3 in the gem home
# usr/local/bundle, each with its lib/json/version.rb
gem_tree() {
    root=$1 ver=$2 spec=$3 rb=$4
    mkdir -p "$root/usr/local/bundle/specifications" \
        "$root/usr/local/bundle/gems/json-$ver/lib/json"
    cp -p "$spec" "$root/usr/local/bundle/specifications/json-$ver.gemspec"
    cp -p "$rb" "$root/usr/local/bundle/gems/json-$ver/lib/json/version.rb"
    keep "$root" "$X/ruby-rack_2.2.22-0+deb12u1_all" \
        usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec
}
LR=$X/libruby3.1_3.1.7+really3.1.2-0+deb12u1_amd64
RJ=$X/ruby-json_2.6.3+dfsg-1_amd64/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0
gem_tree "$tmp/g1" 2.6.1 "$LR/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec" \
    "$LR/usr/lib/ruby/3.1.0/json/version.rb"
pack "$tmp/g1" gem-a.tar
gem_tree "$tmp/g2" 2.6.3 "$RJ/specifications/json-2.6.3.gemspec" \
    "$RJ/gems/json-2.6.3/lib/json/version.rb"
pack "$tmp/g2" gem-b.tar
# gem-modified: gem-b with a line appended to the gem's version.rb
cp -a "$tmp/g2" "$tmp/g3"
echo '# patched after install' >>"$tmp/g3/usr/local/bundle/gems/json-2.6.3/lib/json/version.rb"
pack "$tmp/g3" gem-modified.tar

{ python3 --version; python3 -m pip --version | cut -d' ' -f1-2; echo "npm $(npm --version)"; \
  dpkg-deb --version | head -1; } >"$OUT/TOOLS"
echo "done: $(ls $OUT/*.tar | wc -l) images"
