package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/forgetest"
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
	if err == nil || !strings.Contains(err.Error(), "validation-report.json") {
		t.Fatalf("synth error = %v", err)
	}
	report, rerr := os.ReadFile(filepath.Join(*app.Outdir(), "validation-report.json"))
	if rerr != nil {
		t.Fatal(rerr)
	}
	for _, w := range []string{`"pluginName": "ecsforge"`, `"ruleName": "ECS001"`, `Raw/Raw/Resource`, `Memory=4096: with 256 CPU units Fargate accepts 512, 1024 or 2048 MiB`} {
		if !strings.Contains(string(report), w) {
			t.Errorf("validation report lacks %q:\n%s", w, report)
		}
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
	forgetest.Synth(t, app)
}

// TestPluginWarningsDoNotFail: a warning (ECS075, ECS Exec with a read-only root filesystem)
// is reported without failing synth.
func TestPluginWarningsDoNotFail(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Warn"), nil)
	td := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	td.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{
		Image:                  awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil),
		ReadonlyRootFilesystem: jsii.Bool(true),
	})
	cluster := awsecs.NewCluster(stack, jsii.String("Cluster"), nil)
	awsecs.NewFargateService(stack, jsii.String("Svc"), &awsecs.FargateServiceProps{
		Cluster: cluster, TaskDefinition: td, EnableExecuteCommand: jsii.Bool(true), MinHealthyPercent: jsii.Number(100),
	})
	forgetest.Synth(t, app)
}
