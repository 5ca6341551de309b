// Command validate renders a kustomization as `kubectl apply -k` would and runs, on every object it
// produces, the create-time validation of the upstream code that would judge it in a cluster: Knative
// Serving's webhook (defaults, then Validate) for Knative Services, and the API server's registry strategy
// (the same rest.BeforeCreate a create request goes through) for the Kubernetes kinds. Pod templates are
// also checked against the "restricted" Pod Security Standard. It prints one line per object and exits 1
// on any error, and on any kind it has no validation for, so a new kind cannot slip through unchecked; the
// only exception is a group named with -unchecked (cert-manager.io: its validation is internal to its own
// module), whose objects are rendered and listed as unchecked.
//
// Usage: go run . [-unchecked group] <kustomization dir>   (npm run validate:deploy runs it on knative/)
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func main() {
	unchecked := flag.String("unchecked", "", "an API group whose objects are rendered but not validated")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: validate [-unchecked group] <kustomization dir>")
		os.Exit(2)
	}
	rendered, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "kustomize: %v\n", err)
		os.Exit(1)
	}
	failed := 0
	for _, res := range rendered.Resources() {
		id := fmt.Sprintf("%s %s/%s", res.GetApiVersion(), res.GetKind(), res.GetName())
		if *unchecked != "" && strings.HasPrefix(res.GetApiVersion(), *unchecked+"/") {
			fmt.Printf("unchecked %s\n", id)
			continue
		}
		yaml, err := res.AsYAML()
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", id, err)
			failed++
			continue
		}
		problems, err := validate(res.GetApiVersion(), res.GetKind(), res.GetNamespace(), yaml)
		if err != nil {
			problems = append(problems, err.Error())
		}
		if len(problems) == 0 {
			fmt.Printf("ok   %s\n", id)
			continue
		}
		failed++
		for _, p := range problems {
			// Knative puts one problem per line in an error: keep each on a FAIL line of its own.
			for _, line := range strings.Split(p, "\n") {
				fmt.Printf("FAIL %s: %s\n", id, line)
			}
		}
	}
	fmt.Printf("%d objects, %d with errors\n", len(rendered.Resources()), failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// validate dispatches on the object's group: Knative's own types, else the Kubernetes API server's.
func validate(apiVersion, kind, namespace string, yaml []byte) ([]string, error) {
	if apiVersion == "serving.knative.dev/v1" {
		return validateKnative(kind, namespace, yaml)
	}
	return validateKubernetes(apiVersion, kind, namespace, yaml)
}
