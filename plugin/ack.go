package plugin

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/rules"
)

// ackMetadata is the type of the construct metadata entries CDK's
// Validations_Of(scope).Acknowledge writes: data maps rule IDs to reasons.
const ackMetadata = "aws:cdk:acknowledged-rules"

// ackPrefix names ecsforge's rules in CDK acknowledgements ("ecsforge::ECS100").
const ackPrefix = Name + "::"

// recordAcks is an aspect that copies the acknowledgements of ecsforge rules into the
// templates, where `ecsforge lint` reads them (rules.AckKey): an acknowledgement on a
// construct inside a stack goes to the Metadata of each CloudFormation resource under it, one
// on the stack or above (the app, a stage) to the template's own Metadata.
type recordAcks struct{ _ byte } // not zero-size: jsii tells objects apart by address

// Visit implements awscdk.IAspect.
func (*recordAcks) Visit(node constructs.IConstruct) {
	res, ok := node.(awscdk.CfnResource)
	if !ok {
		return
	}
	stack := awscdk.Stack_Of(node)
	inside, outside := map[string]any{}, map[string]any{}
	reachedStack := false
	for _, scope := range *node.Node().Scopes() {
		if scope.Node().Path() != nil && *scope.Node().Path() == *stack.Node().Path() {
			reachedStack = true
			collectAcks(scope, outside)
			continue
		}
		if reachedStack {
			collectAcks(scope, inside)
		} else {
			collectAcks(scope, outside)
		}
	}
	if len(inside) > 0 {
		res.AddMetadata(new(rules.AckKey), map[string]any{rules.AckAcknowledged: inside})
	}
	if len(outside) > 0 {
		// Stack.AddMetadata writes the template's top-level Metadata section.
		stack.AddMetadata(new(rules.AckKey), map[string]any{rules.AckAcknowledged: outside})
	}
}

// collectAcks adds the ecsforge acknowledgements recorded on scope itself to into.
func collectAcks(scope constructs.IConstruct, into map[string]any) {
	entries := scope.Node().Metadata()
	if entries == nil {
		return
	}
	for _, e := range *entries {
		if e.Type == nil || *e.Type != ackMetadata {
			continue
		}
		data, _ := e.Data.(map[string]any)
		for id, reason := range data {
			if strings.HasPrefix(id, ackPrefix) {
				into[strings.TrimPrefix(id, ackPrefix)] = reason
			}
		}
	}
}
