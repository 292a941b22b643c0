package rules

// This file holds the rules on EC2 capacity: capacity providers and launch templates.

import (
	"strings"
)

func checkCapacityProvider(rep *report, r *Resource) {
	if n, ok := strOf(r.Get("Name")); ok {
		rep.from(r, CheckCapacityProviderName("Name", n))
	}
	asg := "AutoScalingGroupProvider."
	if v, ok := intOf(r.Get(asg + "ManagedScaling.TargetCapacity")); ok {
		rep.from(r, CheckTargetCapacity(asg+"ManagedScaling.TargetCapacity", v))
	}
	if mtp, _ := strOf(r.Get(asg + "ManagedTerminationProtection")); mtp != "ENABLED" {
		return
	}
	if st, ok := strOf(r.Get(asg + "ManagedScaling.Status")); (ok && st != "ENABLED") || absent(r.Properties, asg+"ManagedScaling.Status") {
		rep.add(CapacityProviderSettings, r, asg+"ManagedTerminationProtection", "ENABLED", "managed termination protection needs managed scaling (ManagedScaling.Status ENABLED)")
	}
	group := rep.t.Target(r.Get(asg + "AutoScalingGroupArn"))
	if group != nil && group.Type == "AWS::AutoScaling::AutoScalingGroup" {
		if b, ok := boolOf(group.Get("NewInstancesProtectedFromScaleIn")); absent(group.Properties, "NewInstancesProtectedFromScaleIn") || ok && !b {
			rep.add(CapacityProviderSettings, r, asg+"ManagedTerminationProtection", "ENABLED", "Auto Scaling group %s must protect new instances from scale-in (NewInstancesProtectedFromScaleIn: true)", group.LogicalID)
		}
	}
}

// checkLaunchTemplate reports shell user data on a Bottlerocket image. The image is known when
// ImageId refers to a template parameter whose default is a Bottlerocket SSM parameter path,
// as CDK's BottleRocketImage writes it.
func checkLaunchTemplate(rep *report, r *Resource) {
	img := r.Get("LaunchTemplateData.ImageId")
	ref, _ := lookup(img, "Ref").(string)
	param, _ := lookup(rep.t.raw, "Parameters."+ref+".Default").(string)
	if ref == "" || !strings.Contains(param, "/bottlerocket/") {
		return
	}
	if script := firstLiteral(r.Get("LaunchTemplateData.UserData")); shellLine(firstLine(strings.TrimSpace(script))) {
		rep.add(BottlerocketUserData, r, "LaunchTemplateData.UserData", firstLine(script), "image %s is Bottlerocket, which reads TOML settings, not a shell script", param)
	}
}

// firstLiteral returns the first literal string inside v (through Fn::Base64 and Fn::Join).
func firstLiteral(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s := firstLiteral(e); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"Fn::Base64", "Fn::Join", "Fn::Sub"} {
			if e, ok := x[k]; ok {
				return firstLiteral(e)
			}
		}
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
