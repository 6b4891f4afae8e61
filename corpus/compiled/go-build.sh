#!/bin/sh
# mk.sh NAME UUIDSRC UUIDVER [text] [GOFLAGS...]: build hello with a vendored uuid
set -e
name=$1 src=$2 ver=$3; shift 3
text=""; if [ "$1" = text ]; then text=1; shift; fi
d=/tmp/binpkg-go/build-$name; rm -rf $d; mkdir -p $d/vendor/github.com/google
cp -r $src $d/vendor/github.com/google/uuid
rm -f $d/vendor/github.com/google/uuid/*_test.go
cat > $d/go.mod <<G
module example.com/hello

go 1.19

require github.com/google/uuid $ver
G
printf '# github.com/google/uuid %s\n## explicit\ngithub.com/google/uuid\n' $ver > $d/vendor/modules.txt
if [ -n "$text" ]; then
  mkdir -p $d/vendor/golang.org/x; cp -r /usr/share/gocode/src/golang.org/x/text $d/vendor/golang.org/x/text
  printf 'require golang.org/x/text v0.7.0\n' >> $d/go.mod
  printf '# golang.org/x/text v0.7.0\n## explicit\ngolang.org/x/text/cases\ngolang.org/x/text/internal\ngolang.org/x/text/internal/language\ngolang.org/x/text/internal/language/compact\ngolang.org/x/text/internal/tag\ngolang.org/x/text/language\ngolang.org/x/text/transform\ngolang.org/x/text/unicode/norm\n' >> $d/vendor/modules.txt
  cat > $d/main.go <<G
package main

import (
	"fmt"

	"github.com/google/uuid"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

func main() {
	fmt.Println(cases.Title(language.English).String("id"), uuid.NewSHA1(uuid.NameSpaceURL, []byte("imgdrift")))
}
G
else
  cat > $d/main.go <<G
package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() {
	fmt.Println(uuid.NewSHA1(uuid.NameSpaceURL, []byte("imgdrift")))
}
G
fi
cd $d && GOFLAGS=-mod=vendor GOPROXY=off GOCACHE=/tmp/binpkg-go/cache go build -buildvcs=false -ldflags='-s -w' "$@" -o /tmp/binpkg-go/$name .
