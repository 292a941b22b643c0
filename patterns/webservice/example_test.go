package webservice_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// The seed's example: amazon/amazon-ecs-sample behind a public ALB. (Compiled by go test; the
// synthesized stack is checked in tests/.)
func Example() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, new("WebService"), &awscdk.StackProps{Env: &awscdk.Environment{Region: new("eu-west-1")}})
	webservice.New(stack, "MyWebServer", webservice.Image("amazon/amazon-ecs-sample"))
	app.Synth(nil)
}
