package main

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	psaapi "k8s.io/pod-security-admission/api"
	psapolicy "k8s.io/pod-security-admission/policy"

	// Registers each group's internal and versioned types, conversions and defaults in legacyscheme.
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"

	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/secret"
	"k8s.io/kubernetes/pkg/registry/core/service"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	"k8s.io/kubernetes/pkg/registry/networking/networkpolicy"
	"k8s.io/kubernetes/pkg/registry/policy/poddisruptionbudget"

	appsv1 "k8s.io/api/apps/v1"
)

// The API server's create strategy of each kind this set may contain; any other kind is an error.
var strategies = map[string]rest.RESTCreateStrategy{
	"v1/Namespace":                           namespace.Strategy,
	"v1/ConfigMap":                           configmap.Strategy,
	"v1/Secret":                              secret.Strategy,
	"v1/Service":                             service.Strategy,
	"v1/ServiceAccount":                      serviceaccount.Strategy,
	"apps/v1/Deployment":                     deployment.Strategy,
	"autoscaling/v2/HorizontalPodAutoscaler": horizontalpodautoscaler.Strategy,
	"policy/v1/PodDisruptionBudget":          poddisruptionbudget.Strategy,
	"networking.k8s.io/v1/NetworkPolicy":     networkpolicy.Strategy,
}

// Decodes strictly (an unknown field is an error, as `kubectl apply` with server-side field validation
// makes it), applies the versioned defaults and converts to the internal type, as the API server does.
var decoder = serializer.NewCodecFactory(legacyscheme.Scheme, serializer.EnableStrict).UniversalDecoder()

func validateKubernetes(apiVersion, kind, ns string, data []byte) ([]string, error) {
	strategy, ok := strategies[apiVersion+"/"+kind]
	if !ok {
		return nil, fmt.Errorf("no validation wired for %s %s", apiVersion, kind)
	}
	obj, err := runtime.Decode(decoder, data)
	if err != nil {
		return nil, fmt.Errorf("does not decode: %w", err)
	}
	ctx := genericapirequest.WithNamespace(context.Background(), ns)
	// The group and version say which versioned rules the declarative half of the validation applies.
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, err
	}
	ctx = genericapirequest.WithRequestInfo(ctx, &genericapirequest.RequestInfo{
		IsResourceRequest: true, Verb: "create", Namespace: ns, APIGroup: gv.Group, APIVersion: gv.Version,
	})
	// What the API server's create handler does before the strategy runs: a uid and a creation time.
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return nil, err
	}
	rest.FillObjectMetaSystemFields(accessor)
	var problems []string
	if err := rest.BeforeCreate(strategy, ctx, obj); err != nil {
		problems = append(problems, err.Error())
	}
	if kind == "Deployment" {
		var d appsv1.Deployment
		if err := runtime.DecodeInto(serializer.NewCodecFactory(legacyscheme.Scheme).UniversalDeserializer(), data, &d); err != nil {
			return nil, err
		}
		problems = append(problems, podSecurity(ns, &d.Spec.Template.ObjectMeta, &d.Spec.Template.Spec)...)
	}
	return problems, nil
}

var evaluator = func() psapolicy.Evaluator {
	e, err := psapolicy.NewEvaluator(psapolicy.DefaultChecks(), nil)
	if err != nil {
		panic(err)
	}
	return e
}()

// podSecurity reports each check of the "restricted" Pod Security Standard (latest version) a pod fails.
func podSecurity(ns string, meta *metav1.ObjectMeta, spec *corev1.PodSpec) []string {
	var problems []string
	level := psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}
	for _, r := range evaluator.EvaluatePod(level, meta, spec) {
		if !r.Allowed {
			problems = append(problems, fmt.Sprintf("pod security (restricted): %s: %s", r.ForbiddenReason, r.ForbiddenDetail))
		}
	}
	return problems
}
