package capacity

import (
	"strings"
	"testing"

	"github.com/ecsforge/ecsforge/rules"
)

func TestValidate(t *testing.T) {
	if err := (Props{MaxCapacity: 3, Spot: &Spot{OnDemandBase: 1, OnDemandPercentAboveBase: 50}, Default: true}).Validate(); err != nil {
		t.Fatalf("valid props rejected: %v", err)
	}
	bad := Props{
		MaxCapacity: 0, MinCapacity: new(2), TargetCapacityPercent: 150, DisableManagedScaling: true,
		MinimumScalingStep: 5, MaximumScalingStep: 2, Image: "WINDOWS",
		Spot: &Spot{OnDemandPercentAboveBase: 101}, WarmPool: &WarmPool{MinSize: -1}, ProviderName: "fargate-pool",
	}
	err := bad.Validate()
	got := map[string]bool{}
	for _, v := range rules.Violations(err) {
		got[v.Rule.ID+" "+v.Property] = true
	}
	for _, w := range []string{"ECS040 MaxCapacity", "ECS048 TargetCapacityPercent", "ECS048 DisableManagedScaling",
		"ECS048 MinimumScalingStep", "ECS201 Image", "ECS207 Spot.OnDemandPercentAboveBase", "ECS207 WarmPool.MinSize", "ECS053 ProviderName"} {
		if !got[w] {
			t.Errorf("missing %s in %v", w, got)
		}
	}
	for _, w := range []string{"MaxCapacity=0: the Auto Scaling group needs a maximum size of at least 1", "MinimumScalingStep=5: must not exceed MaximumScalingStep (2)",
		`Image="WINDOWS"`, "Spot.OnDemandPercentAboveBase=101 %: must be between 0 and 100 %", "WarmPool.MinSize=-1: must not be negative"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q", w)
		}
	}
	if got["ECS040 MinCapacity"] {
		t.Errorf("a minimum is compared with an unset maximum: %v", got)
	}
}

func TestBottlerocketRules(t *testing.T) {
	p := Props{MaxCapacity: 1, Image: BottlerocketGPU, Agent: Agent{
		ExtraUserData: []string{"[settings.kernel]", "#!/bin/bash"}, Tags: map[string]string{"a": "b"},
	}}
	err := p.Validate()
	vs := rules.Violations(err)
	if len(vs) != 2 || vs[0].Rule.ID != "ECS013" || vs[0].Property != "Agent.ExtraUserData[1]" || vs[1].Property != "Agent.Tags" {
		t.Errorf("violations = %v", vs)
	}
	if !strings.Contains(err.Error(), "ECS013 Agent.Tags=1: Bottlerocket has no container instance tag setting") {
		t.Errorf("got %v", err)
	}
}

func TestAgentSettings(t *testing.T) {
	lines := func(img Image, p Props) string {
		var out []string
		for _, l := range agentSettings(img, p) {
			out = append(out, *l)
		}
		return strings.Join(out, "\n")
	}
	al := lines(AmazonLinux2023GPU, Props{Spot: &Spot{}, WarmPool: &WarmPool{}, Agent: Agent{Attributes: map[string]string{"b": "2", "a": "it's"}}})
	for _, w := range []string{
		"echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config",
		"echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config",
		`echo ECS_INSTANCE_ATTRIBUTES='{"a":"it'\''s","b":"2"}' >> /etc/ecs/ecs.config`,
		"echo ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config",
		"echo ECS_WARM_POOLS_CHECK=true >> /etc/ecs/ecs.config",
	} {
		if !strings.Contains(al, w) {
			t.Errorf("Amazon Linux settings lack %q:\n%s", w, al)
		}
	}
	br := lines(Bottlerocket, Props{Agent: Agent{AllowTaskIMDS: true, ReservedMemoryMiB: 300}})
	if br != "awsvpc-block-imds = false\nreserved-memory = 300" {
		t.Errorf("Bottlerocket settings = %q", br)
	}
}
