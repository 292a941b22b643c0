// Package showcase registers every example stack in one app: the examples binary that
// cdk.json runs, and the snapshot tests, build the same stacks from here.
package showcase

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/examples/bluegreen"
	"github.com/ecsforge/ecsforge/examples/connect"
	"github.com/ecsforge/ecsforge/examples/ec2"
	"github.com/ecsforge/ecsforge/examples/nlb"
	"github.com/ecsforge/ecsforge/examples/scheduled"
	"github.com/ecsforge/ecsforge/examples/shared"
	"github.com/ecsforge/ecsforge/examples/sidecar"
	"github.com/ecsforge/ecsforge/examples/webservice"
)

// Stacks adds every example stack to scope.
func Stacks(scope constructs.Construct) []awscdk.Stack {
	return []awscdk.Stack{
		webservice.Seed(scope),
		webservice.HTTPS(scope),
		bluegreen.BlueGreen(scope),
		bluegreen.Canary(scope),
		bluegreen.CodeDeploy(scope),
		bluegreen.Ec2BlueGreen(scope),
		ec2.WebService(scope),
		ec2.Daemon(scope),
		connect.App(scope),
		shared.TwoServices(scope),
		nlb.TCPService(scope),
		sidecar.WebService(scope),
		scheduled.NightlyBatch(scope),
		scheduled.HourlyEc2(scope),
	}
}
