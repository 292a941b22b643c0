package webservice_test

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ecsforge/ecsforge"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// The seed's example: amazon/amazon-ecs-sample behind a public ALB, as the README's first
// example writes it. (Compiled by go test; the synthesized stack is checked in tests/, and
// tests/usermod runs the same program shape with the CDK CLI.)
func Example() {
	app := ecsforge.NewApp(nil)
	stack := awscdk.NewStack(app, new("WebService"), &awscdk.StackProps{Env: &awscdk.Environment{Region: new("eu-west-1")}})
	webservice.New(stack, "MyWebServer", webservice.Image("amazon/amazon-ecs-sample"))
	err := ecsforge.Synth(app)
	ecsforge.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
