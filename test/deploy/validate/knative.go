package main

import (
	"context"
	"fmt"

	"knative.dev/pkg/apis"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
	"sigs.k8s.io/yaml"
)

// validateKnative does what Knative Serving's admission webhook does on create: set defaults, then
// Validate, with the default configuration (the config-features and config-defaults ConfigMaps unset).
func validateKnative(kind, namespace string, data []byte) ([]string, error) {
	if kind != "Service" {
		return nil, fmt.Errorf("no validation wired for serving.knative.dev/v1 %s", kind)
	}
	var svc servingv1.Service
	if err := yaml.UnmarshalStrict(data, &svc); err != nil {
		return nil, fmt.Errorf("does not decode strictly: %w", err)
	}
	ctx := apis.WithinCreate(context.Background())
	svc.SetDefaults(ctx)
	var problems []string
	// As the webhook does: errors refuse the object, warnings (e.g. "Kubernetes default value is
	// insecure") only accompany it. The set has none of either; a warning is printed, not counted.
	if err := svc.Validate(ctx); err != nil {
		if refused := err.Filter(apis.ErrorLevel); refused != nil {
			problems = append(problems, refused.Error())
		}
		if warned := err.Filter(apis.WarningLevel); warned != nil {
			fmt.Printf("warn %s Service/%s: %s\n", "serving.knative.dev/v1", svc.Name, warned.Error())
		}
	}
	// The pod Knative will run for each revision: the template's spec, held to the same standard as
	// the Deployments (the queue-proxy container Knative adds is restricted-compliant itself).
	problems = append(problems, podSecurity(namespace, &svc.Spec.Template.ObjectMeta, &svc.Spec.Template.Spec.PodSpec)...)
	return problems, nil
}
