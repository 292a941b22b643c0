// Package nag records cdk-nag suppressions as CloudFormation metadata, in the format cdk-nag
// reads, so that ecsforge's constructs need not import cdk-nag. Every suppression carries the
// reason a security reviewer would need to accept it.
package nag

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Suppression is one cdk-nag finding accepted on purpose.
type Suppression struct {
	ID        string   // e.g. "AwsSolutions-EC23"
	Reason    string   // why it is acceptable (cdk-nag requires 10 characters or more)
	AppliesTo []string // finding IDs (e.g. "Resource::*"), or nil for every finding of the rule
}

// Suppress adds suppressions to the CloudFormation resource of c (c itself, or its default child).
func Suppress(c constructs.IConstruct, s ...Suppression) {
	res := cfnOf(c)
	if res == nil {
		return
	}
	var rules []any
	if existing, ok := res.GetMetadata(jsii.String("cdk_nag")).(map[string]any); ok {
		if prior, ok := existing["rules_to_suppress"].([]any); ok {
			rules = prior
		}
	}
	for _, x := range s {
		r := map[string]any{"id": x.ID, "reason": x.Reason}
		if len(x.AppliesTo) > 0 {
			r["applies_to"] = x.AppliesTo
		}
		rules = append(rules, r)
	}
	res.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": rules})
}

func cfnOf(c constructs.IConstruct) awscdk.CfnResource {
	if r, ok := c.(awscdk.CfnResource); ok {
		return r
	}
	if r, ok := c.Node().DefaultChild().(awscdk.CfnResource); ok {
		return r
	}
	return nil
}
