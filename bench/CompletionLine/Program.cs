using System.Diagnostics;
using System.Globalization;
using Company.Service1.Platform.Logging;
using Serilog;

// Writes request-completion lines as the service does, to a stdout sink whose output is discarded, and measures the
// process's CPU time (the request thread and the sink's formatting loop together) and the bytes allocated per line.
// The two ways: the default short cut (stdout the only sink: the values queued as they are, then a byte template),
// and the Serilog event every other sink gets. Rounds alternate between them; the median round of each is printed.
var lines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
const int Rounds = 7;

var stats = new LogShippingStats();
using var sink = new StdoutSink(new EcsJsonFormatter("company-service1", "1.0.0", "Production"), Stream.Null, stats);
using var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
var ways = new (string Name, RequestCompletionLog Log)[]
{
    ("values and byte template (stdout only)", new RequestCompletionLog(logger, sink)),
    ("Serilog event and ECS formatter", new RequestCompletionLog(logger)),
};

var context = new DefaultHttpContext();
context.Request.Method = "GET";
context.Request.Path = "/version";
using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

var results = ways.Select(_ => new List<(double Cpu, double Bytes)>()).ToArray();
for (var round = -1; round < Rounds; round++)
{
    for (var way = 0; way < ways.Length; way++)
    {
        var measured = Measure(ways[way].Log, round < 0 ? lines / 5 : lines);
        if (round >= 0)
        {
            results[way].Add(measured);
        }
    }
}

if (stats.DroppedBy(LoggingExtensions.StdoutSinkName) > 0)
{
    Console.Error.WriteLine("completion-line: the sink dropped lines; the figures would be too low");
    return 1;
}

var baseline = Median(results[0].Select(r => r.Cpu));
Console.WriteLine($"| way | CPU per line (µs) | allocated per line (bytes) | CPU against the byte template |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
for (var way = 0; way < ways.Length; way++)
{
    var cpu = Median(results[way].Select(r => r.Cpu));
    var bytes = Median(results[way].Select(r => r.Bytes));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ways[way].Name} | {cpu:F2} | {bytes:F0} | {cpu / baseline:F1}× |"));
}

return 0;

(double Cpu, double Bytes) Measure(RequestCompletionLog log, int count)
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < count; i++)
    {
        log.Write(context, activity, "/version", 200, TimeSpan.FromTicks(1000 + (i & 255)));
        // At most about 250,000 lines a second, in bursts: well within the sink's queue bounds.
        if ((i & 255) == 255)
        {
            Thread.Sleep(1);
        }
    }

    while (sink.PendingBytes > 0)
    {
        Thread.Sleep(5);
    }

    process.Refresh();
    return ((process.TotalProcessorTime - cpu).TotalMicroseconds / count, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
