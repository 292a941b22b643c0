// Package exstack makes the example stacks.
package exstack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
)

// Region the examples deploy to. ALB access logs need a known region (the log delivery account
// differs by region); the account stays unresolved, so synth needs no credentials.
const Region = "eu-west-1"

// New makes an example stack in Region.
func New(scope constructs.Construct, id string) awscdk.Stack {
	return awscdk.NewStack(scope, new(id), &awscdk.StackProps{Env: &awscdk.Environment{Region: new(Region)}})
}
