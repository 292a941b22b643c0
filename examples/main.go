// Command examples is the showcase CDK app: every ecsforge example stack. cdk.json runs its
// prebuilt binary (make synth builds it).
package main

import (
	"fmt"
	"os"

	"github.com/ecsforge/ecsforge"
	"github.com/ecsforge/ecsforge/examples/showcase"
)

func main() {
	app := ecsforge.NewApp(nil)
	showcase.Stacks(app)
	err := ecsforge.Synth(app)
	ecsforge.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
