using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Observability.Tests.Prometheus;

/// <summary>
/// The scrape job prometheus-operator generates for the chart's ServiceMonitor, aimed at one loopback target.
/// Kubernetes discovery cannot run here, so the target's discovery labels (<c>__meta_kubernetes_*</c>) are static;
/// the relabeling that turns them into target labels is the operator's (generateServiceMonitorConfig in its
/// pkg/prometheus/promcfg.go): <c>pod</c>, <c>namespace</c>, <c>service</c>, <c>container</c>, one label per
/// <c>targetLabels</c> and <c>podTargetLabels</c> entry of servicemonitor.yaml, <c>job</c> (the Service's name) and
/// <c>endpoint</c> (the port's name); Prometheus adds <c>instance</c>. honor_labels stays false, the operator's
/// default, so a label of the service's that has one of those names ends up as <c>exported_&lt;name&gt;</c>, as it
/// would on a cluster.
/// </summary>
public static partial class ServiceMonitorScrape
{
    /// <summary>The metrics Service's name, which the operator makes the job.</summary>
    public const string Job = "company-service1-metrics";

    private const string Namespace = "apps";
    private const string Pod = "company-service1-green-7d9c5b8f4-x2x9q";

    /// <summary>Only the label names matter here (a clash is a clash whatever the values), so every copied label has this value.</summary>
    private const string CopiedLabelValue = "copied-by-the-servicemonitor";

    public static string ServiceMonitorFile =>
        Path.Combine(PublishedService.RepositoryRoot(), "charts", "company-service1", "templates", "servicemonitor.yaml");

    /// <summary>One <c>scrape_configs</c> entry, indented to sit under the key.</summary>
    public static string ScrapeConfig(int port)
    {
        var monitor = File.ReadAllText(ServiceMonitorFile);
        var endpoint = PortName().Match(monitor).Groups["port"].Value;
        var copied = CopiedLabelLists().Matches(monitor).SelectMany(list =>
        {
            // targetLabels come from the Service's labels, podTargetLabels from the pod's.
            var source = list.Groups["key"].Value == "targetLabels" ? "service" : "pod";
            return list.Groups["item"].Captures.Select(item => Sanitize(item.Value)).Select(label => (Meta: $"__meta_kubernetes_{source}_label_{label}", Label: label));
        });

        var discovered = new StringBuilder();
        var relabeled = new StringBuilder();
        foreach (var (meta, label) in copied)
        {
            discovered.Append(CultureInfo.InvariantCulture, $"\n          {meta}: {CopiedLabelValue}");
            relabeled.Append(CultureInfo.InvariantCulture, $$"""

                  - source_labels: [{{meta}}]
                    target_label: {{label}}
                    regex: (.+)
                    replacement: ${1}
            """);
        }

        return $$"""
              - job_name: serviceMonitor/{{Namespace}}/company-service1/0
                honor_labels: false
                metrics_path: /metrics
                static_configs:
                  - targets: ['127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}}']
                    labels:
                      __meta_kubernetes_namespace: {{Namespace}}
                      __meta_kubernetes_service_name: {{Job}}
                      __meta_kubernetes_endpoint_port_name: {{endpoint}}
                      __meta_kubernetes_endpoint_address_target_kind: Pod
                      __meta_kubernetes_endpoint_address_target_name: {{Pod}}
                      __meta_kubernetes_pod_name: {{Pod}}
                      __meta_kubernetes_pod_container_name: company-service1{{discovered}}
                relabel_configs:
                  - source_labels: [__meta_kubernetes_endpoint_address_target_kind, __meta_kubernetes_endpoint_address_target_name]
                    separator: ;
                    regex: Pod;(.*)
                    replacement: ${1}
                    target_label: pod
                  - source_labels: [__meta_kubernetes_namespace]
                    target_label: namespace
                  - source_labels: [__meta_kubernetes_service_name]
                    target_label: service
                  - source_labels: [__meta_kubernetes_pod_name]
                    target_label: pod
                  - source_labels: [__meta_kubernetes_pod_container_name]
                    target_label: container{{relabeled}}
                  - source_labels: [__meta_kubernetes_service_name]
                    target_label: job
                    replacement: ${1}
                  - target_label: endpoint
                    replacement: {{endpoint}}
            """;
    }

    /// <summary>As the operator names a Kubernetes label in Prometheus: every character outside [a-zA-Z0-9_] becomes '_'.</summary>
    private static string Sanitize(string name) => InvalidLabelCharacters().Replace(name, "_");

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex InvalidLabelCharacters();

    /// <summary>A list such as <c>podTargetLabels:</c> in the template and its items.</summary>
    [GeneratedRegex("^(?<indent> *)(?<key>targetLabels|podTargetLabels):[ \\t]*\\n(?:\\k<indent> *- *(?<item>\\S+)[ \\t]*\\n)+", RegexOptions.Multiline)]
    private static partial Regex CopiedLabelLists();

    [GeneratedRegex("^ *- port: *(?<port>\\S+)", RegexOptions.Multiline)]
    private static partial Regex PortName();
}
