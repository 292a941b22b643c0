// Command examples is the showcase CDK app: every ecsforge example stack. cdk.json runs its
// prebuilt binary (make synth builds it).
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/examples/showcase"
	"github.com/ecsforge/ecsforge/plugin"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	plugin.Register(app)
	showcase.Stacks(app)
	if err := synth(app); err != nil {
		fmt.Fprintln(os.Stderr, err)
		jsii.Close()
		os.Exit(1)
	}
}

// synth synthesizes app, turning a validation failure into an error instead of a panic.
func synth(app awscdk.App) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	app.Synth(nil)
	return nil
}
