package tests

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/rules"
)

// rawTask is a Fargate task definition written with plain CDK, outside ecsforge's props checks.
func rawTask(stack awscdk.Stack, memory string) {
	td := awsecs.NewFargateTaskDefinition(stack, jsii.String("Raw"), &awsecs.FargateTaskDefinitionProps{Cpu: jsii.Number(256), MemoryLimitMiB: jsii.Number(512)})
	td.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil)})
	// An escape hatch sets a memory value Fargate rejects with 0.25 vCPU.
	td.Node().DefaultChild().(awsecs.CfnTaskDefinition).AddPropertyOverride(jsii.String("Memory"), jsii.String(memory))
}

// TestPluginFailsSynthOnTemplateRule: the validation plugin sees the final template, so a
// mistake made through raw CDK and an escape hatch fails synth with the rule and the path.
func TestPluginFailsSynthOnTemplateRule(t *testing.T) {
	app := forgetest.NewApp(t)
	rawTask(awscdk.NewStack(app, jsii.String("Raw"), nil), "4096")
	err := forgetest.SynthError(app)
	if err == nil {
		t.Fatal("synth succeeded")
	}
	// The error carries the findings themselves: ecsforge's, and CDK's own template check.
	var ours, cdks []ecsforge.Finding
	for _, f := range forgetest.Findings(err) {
		switch f.Plugin {
		case "ecsforge":
			ours = append(ours, f)
		case "CloudFormation Validate":
			cdks = append(cdks, f)
		}
	}
	want := ecsforge.Finding{Plugin: "ecsforge", RuleID: "ECS001", Severity: rules.Error, Path: "Raw/Raw/Resource", LogicalID: "Raw72517081",
		Property: "Memory", Value: "4096", Message: "with 256 CPU units Fargate accepts 512, 1024 or 2048 MiB",
		Fix: rules.FargateTaskSize.Fix, DocURL: rules.FargateTaskSize.Source}
	if len(ours) != 1 || ours[0] != want {
		t.Errorf("ecsforge findings = %#v, want %#v", ours, want)
	}
	if len(cdks) != 1 || cdks[0].RuleID != "E3047" || cdks[0].Path != "Raw/Raw/Resource" {
		t.Errorf("CDK template validation findings = %#v, want E3047 on Raw/Raw/Resource", cdks)
	}
	if msg := err.Error(); !strings.Contains(msg, "[Raw/Raw/Resource] ECS001 Raw72517081.Memory=4096: with 256 CPU units") {
		t.Errorf("error message = %s", msg)
	}

	ok := forgetest.NewApp(t)
	rawTask(awscdk.NewStack(ok, jsii.String("Raw"), nil), "1024")
	forgetest.Synth(t, ok)
}

// TestPluginAcknowledgement: CDK's acknowledgement silences a finding on purpose.
func TestPluginAcknowledgement(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Raw"), nil)
	rawTask(stack, "4096")
	// CDK's bundled template validation (cfn-lint rule E3047) knows this constraint too.
	for _, id := range []string{"ecsforge::ECS001", "CloudFormation-Validate::E3047"} {
		awscdk.Validations_Of(stack).Acknowledge(&awscdk.Acknowledgment{Id: jsii.String(id), Reason: jsii.String("testing the acknowledgement")})
	}
	asm := forgetest.Synth(t, app)
	// ecsforge lint on the cloud assembly honours the stack-level acknowledgement as synth did.
	if fs := lintAssembly(t, asm.Dir); len(fs) != 0 {
		t.Errorf("lint on cdk.out reports what synth acknowledged: %v", fs)
	}
}

// lintAssembly lints every template of a cloud assembly as `ecsforge lint cdk.out` does.
func lintAssembly(t *testing.T, dir string) []rules.Finding {
	t.Helper()
	templates, err := rules.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var fs []rules.Finding
	for _, tmpl := range templates {
		fs = append(fs, rules.Lint(tmpl)...)
	}
	return fs
}

// TestPluginWarningsDoNotFail: a warning (ECS075, ECS Exec with a read-only root filesystem)
// is reported without failing synth.
func TestPluginWarningsDoNotFail(t *testing.T) {
	execReadonly := func(acknowledge bool) forgetest.Stack {
		app := forgetest.NewApp(t)
		stack := awscdk.NewStack(app, jsii.String("Warn"), nil)
		td := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
		td.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{
			Image:                  awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil),
			ReadonlyRootFilesystem: jsii.Bool(true),
		})
		cluster := awsecs.NewCluster(stack, jsii.String("Cluster"), nil)
		svc := awsecs.NewFargateService(stack, jsii.String("Svc"), &awsecs.FargateServiceProps{
			Cluster: cluster, TaskDefinition: td, EnableExecuteCommand: jsii.Bool(true), MinHealthyPercent: jsii.Number(100),
		})
		if acknowledge {
			awscdk.Validations_Of(svc).Acknowledge(&awscdk.Acknowledgment{Id: jsii.String("ecsforge::ECS075"), Reason: jsii.String("writable volumes are mounted")})
		}
		asm := forgetest.Synth(t, app)
		linted := lintAssembly(t, asm.Dir)
		if acknowledge && len(linted) != 0 || !acknowledge && (len(linted) != 1 || linted[0].Rule.ID != "ECS075") {
			t.Errorf("acknowledged=%t: lint on cdk.out gives %v", acknowledge, linted)
		}
		return asm.Stack(t, "Warn")
	}
	ws := execReadonly(false).Warnings
	if len(ws) != 1 || ws[0].RuleID != "ECS075" || ws[0].Path != "Warn/Svc/Service" || ws[0].Severity != rules.Warning {
		t.Errorf("warnings = %#v, want ECS075 on Warn/Svc/Service", ws)
	}
	if ws := execReadonly(true).Warnings; len(ws) != 0 {
		t.Errorf("acknowledged warning still reported: %v", ws)
	}
}
