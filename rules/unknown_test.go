package rules

import "testing"

// TestUnknownValuesCauseNoFinding: templates that deploy, where a rule's input is behind
// Fn::If, AWS::NoValue, a parameter or a resource Condition. Each once caused the finding named.
func TestUnknownValuesCauseNoFinding(t *testing.T) {
	const task = `
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - {Name: app, Image: nginx, PortMappings: [{ContainerPort: 80, Name: !Ref PortName}]}
`
	for _, c := range []struct {
		rule, src string
	}{
		{"ECS036", `
Conditions: {Private: !Equals [!Ref Env, prod]}
Parameters: {Env: {Type: String}, PortName: {Type: String}}
Resources:` + task + `
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      NetworkConfiguration: !If [Private, {AwsvpcConfiguration: {Subnets: [subnet-1]}}, {AwsvpcConfiguration: {Subnets: [subnet-2], AssignPublicIp: ENABLED}}]
`},
		{"ECS070", `
Conditions: {SC: !Equals [!Ref Env, prod]}
Parameters: {Env: {Type: String}, PortName: {Type: String}}
Resources:` + task + `
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1]}}
      ServiceConnectConfiguration: !If [SC, !Ref "AWS::NoValue", {Enabled: false}]
  Named:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1]}}
      ServiceConnectConfiguration: {Enabled: true, Namespace: ns, Services: [{PortName: http}]}
`},
		{"ECS012", `
Conditions: {Side: !Equals [!Ref Env, prod]}
Parameters: {Env: {Type: String}}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [EC2]
      NetworkMode: bridge
      ContainerDefinitions:
        - {Name: app, Image: nginx, Memory: 256}
        - !If [Side, {Name: side, Image: nginx, Memory: 128}, !Ref "AWS::NoValue"]
        - {Name: other, Image: nginx, MemoryReservation: !If [Side, 64, 128]}
`},
		{"ECS048", `
Parameters: {Protect: {Type: String}}
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {MinSize: "0", MaxSize: "2", NewInstancesProtectedFromScaleIn: !Ref Protect}
  CP:
    Type: AWS::ECS::CapacityProvider
    Properties:
      AutoScalingGroupProvider:
        AutoScalingGroupArn: !Ref Group
        ManagedTerminationProtection: ENABLED
        ManagedScaling: {Status: ENABLED, TargetCapacity: 100}
`},
		{"ECS046", `
Parameters: {PortName: {Type: String}}
Resources:` + task + `
  Cluster:
    Type: AWS::ECS::Cluster
  CP:
    Type: AWS::ECS::CapacityProvider
    Properties:
      Name: my-provider
      AutoScalingGroupProvider: {AutoScalingGroupArn: arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:x:autoScalingGroupName/g}
  Assoc:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties: {Cluster: !Ref Cluster, CapacityProviders: [my-provider], DefaultCapacityProviderStrategy: []}
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1]}}
      CapacityProviderStrategy: [{CapacityProvider: !Ref CP, Weight: 1}]
`},
		{"ECS050", `
Conditions: {Https: !Equals [!Ref Cert, ""]}
Parameters: {Cert: {Type: String}}
Resources:
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Condition: Https
    Properties: {LoadBalancerArn: arn, Port: 443, Protocol: HTTPS, DefaultActions: [{Type: fixed-response}]}
`},
		{"ECS062", `
Parameters: {Config: {Type: String}}
Resources:
  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Prod:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref LB, Port: 80}
  Unset:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ECSServices: [{ClusterName: c, ServiceName: s}]
      LoadBalancerInfo: {TargetGroupPairInfoList: [{TargetGroups: [{Name: blue}, {Name: green}], ProdTrafficRoute: {ListenerArns: [!Ref Prod]}}]}
  FromParameter:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      DeploymentConfigName: !Ref Config
      ECSServices: [{ClusterName: c, ServiceName: s}]
      LoadBalancerInfo: {TargetGroupPairInfoList: [{TargetGroups: [{Name: blue}, {Name: green}], ProdTrafficRoute: {ListenerArns: [!Ref Prod]}}]}
`},
		{"ECS076", `
Parameters: {Memory: {Type: String}, Cluster: {Type: String}}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: !Ref Memory
      ContainerDefinitions:
        - {Name: app, Image: nginx, Memory: 512, PortMappings: [{ContainerPort: 80, Name: http}]}
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1]}}
      ServiceConnectConfiguration: {Enabled: true, Services: [{PortName: http}]}
`},
		{"ECS071", `
Parameters: {Cluster: {Type: String}}
Resources:` + task + `
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1]}}
      ServiceConnectConfiguration: {Enabled: true, Services: [{PortName: http}]}
`},
	} {
		for _, f := range lintYAML(t, c.src) {
			if f.Rule.ID == c.rule {
				t.Errorf("%s on a template that deploys: %v", c.rule, f)
			}
		}
	}
}
