// Command compose-check loads a Compose file with compose-go, the loader `docker compose` itself uses:
// schema validation, interpolation from the environment, YAML anchors and merges, then normalisation (build
// contexts resolved, depends_on filled in, defaults set). It prints the resulting project as JSON for
// test/deploy/compose.test.ts to check, or the loader's error and exit status 1. No Docker engine is needed.
//
// Usage: go run . <compose.yaml>   (the environment supplies the ${VARIABLES} the file names)
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose.yaml>")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions([]string{os.Args[1]},
		cli.WithOsEnv,
		cli.WithNormalization(true),
		cli.WithResolvedPaths(true),
		cli.WithConsistency(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := cli.ProjectFromOptions(context.Background(), options)
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
