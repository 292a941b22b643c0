// Package cluster builds an ECS cluster for Fargate: the FARGATE and FARGATE_SPOT capacity
// providers associated with it, Container Insights with enhanced observability, and either a
// given VPC or a new one with flow logs.
package cluster

import (
	"errors"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsservicediscovery"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults.
const (
	// DefaultMaxAZs spreads a new VPC over two Availability Zones, the least that keeps a
	// service up through the loss of one (ECS Best Practices Guide, "Availability").
	DefaultMaxAZs = 2
	// DefaultNATGateways is one NAT gateway per Availability Zone, so private tasks keep their
	// egress when one zone fails (VPC User Guide, "NAT gateways").
	DefaultNATGateways = DefaultMaxAZs
	// DefaultFlowLogRetention keeps VPC flow logs (rejected traffic) for three months: long
	// enough for an incident review, short enough to bound cost.
	DefaultFlowLogRetention = awslogs.RetentionDays_THREE_MONTHS
	// DefaultNamespaceType is an HTTP namespace: Service Connect finds services through Cloud
	// Map's API and its own proxy, not DNS, so the namespace needs no Route 53 hosted zone
	// (ECS Developer Guide, "Service Connect concepts").
	DefaultNamespaceType = awsservicediscovery.NamespaceType_HTTP
	// DefaultContainerInsights is enhanced observability: task- and container-level metrics
	// (ECS Developer Guide, "Container Insights with enhanced observability").
	DefaultContainerInsights = awsecs.ContainerInsights_ENHANCED
)

// Props configures a Cluster. The zero value builds a cluster in a new two-AZ VPC.
type Props struct {
	// VPC to place the cluster in; nil creates one with public and private subnets and flow logs.
	VPC awsec2.IVpc
	// MaxAZs of a new VPC (default DefaultMaxAZs).
	MaxAZs int
	// NATGateways of a new VPC (default one per AZ). new(0) builds none: tasks then need VPC
	// endpoints or public IPs to pull images.
	NATGateways *int
	// ClusterName is the physical name; "" lets CloudFormation name it.
	ClusterName string
	// ContainerInsights mode (default DefaultContainerInsights).
	ContainerInsights awsecs.ContainerInsights
	// DNSNamespace, when set, creates a private Cloud Map DNS namespace of that name in the VPC,
	// for service.Props.CloudMap (DNS service discovery for clients outside a mesh).
	DNSNamespace string
	// Namespace, when set, creates a Cloud Map namespace of that name (DefaultNamespaceType)
	// and makes it the cluster's Service Connect default, for services with
	// service.Props.ServiceConnect.
	Namespace string
	// ExistingNamespace instead makes an existing Cloud Map namespace, by name or ARN, the
	// cluster's Service Connect default (a namespace shared by several clusters or stacks).
	ExistingNamespace string
}

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error {
	var errs []error
	if p.Namespace != "" && p.ExistingNamespace != "" {
		errs = append(errs, rules.NewViolation(rules.ServiceConnect, "ExistingNamespace", p.ExistingNamespace,
			"a cluster has one default Service Connect namespace: set Namespace (create one) or ExistingNamespace, not both"))
	}
	errs = append(errs, rules.CheckResourceName("ClusterName", p.ClusterName, "cluster"))
	return errors.Join(errs...)
}

// Cluster is an ECS cluster with the Fargate capacity providers.
type Cluster struct {
	constructs.Construct
	// Cluster is the underlying CDK cluster.
	Cluster awsecs.Cluster
	// VPC is the cluster's VPC (given or created).
	VPC awsec2.IVpc
	// FlowLogGroup holds a new VPC's flow logs; nil for a given VPC.
	FlowLogGroup awslogs.LogGroup
	// Namespace is the Service Connect default namespace (nil without Props.Namespace).
	Namespace awsservicediscovery.INamespace
	// DNSNamespace is the private DNS namespace (nil without Props.DNSNamespace).
	DNSNamespace awsservicediscovery.PrivateDnsNamespace
}

// New builds a Cluster.
func New(scope constructs.Construct, id string, p Props) *Cluster {
	c := &Cluster{}
	constructs.NewConstruct_Override(c, scope, conv.Str(id))
	if validate.Record(c, p.Validate()) {
		return c
	}
	c.VPC = p.VPC
	if c.VPC == nil {
		azs := conv.OrZero(p.MaxAZs, DefaultMaxAZs)
		c.FlowLogGroup = awslogs.NewLogGroup(c, conv.Str("FlowLogs"), &awslogs.LogGroupProps{
			Retention: DefaultFlowLogRetention,
		})
		c.VPC = awsec2.NewVpc(c, conv.Str("Vpc"), &awsec2.VpcProps{
			MaxAzs:      conv.Num(azs),
			NatGateways: conv.Num(conv.Or(p.NATGateways, azs)),
			FlowLogs: &map[string]*awsec2.FlowLogOptions{
				"Rejected": {
					Destination: awsec2.FlowLogDestination_ToCloudWatchLogs(c.FlowLogGroup, nil),
					TrafficType: awsec2.FlowLogTrafficType_REJECT,
				},
			},
		})
	}
	c.Cluster = awsecs.NewCluster(c, conv.Str("Cluster"), &awsecs.ClusterProps{
		Vpc:                            c.VPC,
		ClusterName:                    conv.OptStr(p.ClusterName),
		EnableFargateCapacityProviders: conv.Bool(true),
		ContainerInsightsV2:            conv.OrZero(p.ContainerInsights, DefaultContainerInsights),
	})
	if p.DNSNamespace != "" {
		c.DNSNamespace = awsservicediscovery.NewPrivateDnsNamespace(c, conv.Str("DNSNamespace"), &awsservicediscovery.PrivateDnsNamespaceProps{
			Name: conv.Str(p.DNSNamespace), Vpc: c.VPC,
		})
	}
	if p.Namespace != "" {
		c.Namespace = c.Cluster.AddDefaultCloudMapNamespace(&awsecs.CloudMapNamespaceOptions{
			Name:                 conv.Str(p.Namespace),
			Type:                 DefaultNamespaceType,
			UseForServiceConnect: conv.Bool(true),
		})
	}
	if p.ExistingNamespace != "" {
		c.Cluster.Node().DefaultChild().(awsecs.CfnCluster).SetServiceConnectDefaults(&awsecs.CfnCluster_ServiceConnectDefaultsProperty{
			Namespace: conv.Str(p.ExistingNamespace),
		})
	}
	return c
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (c *Cluster) ToString() *string { return c.Node().Path() }
