package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	s := bufio.NewScanner(os.Stdin)
	for s.Scan() {
		p := strings.Split(s.Text(), "\t")
		fmt.Printf("%s\t%s\t%d\n", p[0], p[1], semver.Compare(p[0], p[1]))
	}
}
