package forgetest

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	in := Template{
		"Parameters": map[string]any{"BootstrapVersion": map[string]any{"Type": "AWS::SSM::Parameter::Value<String>"}},
		"Rules":      map[string]any{"CheckBootstrapVersion": map[string]any{}},
		"Resources": map[string]any{"Fn": map[string]any{"Type": "AWS::Lambda::Function", "Properties": map[string]any{
			"Code": map[string]any{"S3Key": hash + ".zip"}, "Tags": []any{hash}}}},
	}
	out := Normalize(in)
	if _, ok := out["Parameters"]; ok {
		t.Errorf("BootstrapVersion parameter kept: %v", out["Parameters"])
	}
	if _, ok := out["Rules"]; ok {
		t.Errorf("CheckBootstrapVersion rule kept")
	}
	got := string(Marshal(out))
	if strings.Contains(got, hash) || !strings.Contains(got, `"S3Key": "<asset-hash>.zip"`) || !strings.Contains(got, `"<asset-hash>"`) {
		t.Errorf("asset hashes not normalised:\n%s", got)
	}
	if _, ok := in["Parameters"]; !ok {
		t.Errorf("Normalize modified its input")
	}
}

func TestDiffNamesResourceAndProperty(t *testing.T) {
	res := func(scheme string, extra ...string) Template {
		props := map[string]any{"Scheme": scheme, "LoadBalancerAttributes": []any{map[string]any{"Key": "a", "Value": "1"}}}
		for _, e := range extra {
			props[e] = true
		}
		return Template{"Resources": map[string]any{
			"LB":  map[string]any{"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": props},
			"Old": map[string]any{"Type": "AWS::S3::Bucket"},
		}}
	}
	want := res("internal")
	got := res("internet-facing", "New")
	delete(got["Resources"].(map[string]any), "Old")
	got["Resources"].(map[string]any)["Added"] = map[string]any{"Type": "AWS::SNS::Topic"}
	d := strings.Join(Diff(want, got), "\n")
	for _, w := range []string{
		`Resources.LB (AWS::ElasticLoadBalancingV2::LoadBalancer): Properties.Scheme: was "internal", now "internet-facing"`,
		`Resources.LB (AWS::ElasticLoadBalancingV2::LoadBalancer): Properties.New: added true`,
		`Resources.Old (AWS::S3::Bucket): removed`,
		`Resources.Added (AWS::SNS::Topic): added`,
	} {
		if !strings.Contains(d, w) {
			t.Errorf("diff lacks %q:\n%s", w, d)
		}
	}
	if Diff(want, res("internal")) != nil {
		t.Errorf("equal templates differ: %v", Diff(want, res("internal")))
	}
	// A list element that changes is named by its index.
	g2 := res("internal")
	g2["Resources"].(map[string]any)["LB"].(map[string]any)["Properties"].(map[string]any)["LoadBalancerAttributes"] = []any{map[string]any{"Key": "a", "Value": "2"}}
	if d := Diff(want, g2); len(d) != 1 || !strings.Contains(d[0], `Properties.LoadBalancerAttributes[0].Value: was "1", now "2"`) {
		t.Errorf("list diff = %v", d)
	}
}

func TestLoadContextReadsCdkJSON(t *testing.T) {
	path, err := FindCDKJSON()
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := LoadContext(path)
	if err != nil {
		t.Fatal(err)
	}
	if ctx["@aws-cdk/core:validateAgainstDefaultRules"] != true {
		t.Errorf("cdk.json context lacks validateAgainstDefaultRules: %v", ctx["@aws-cdk/core:validateAgainstDefaultRules"])
	}
}
