using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RemoteOps.Lab.Emulators.FortiOs;
using RemoteOps.Lab.Emulators.Ics;
using RemoteOps.Lab.Emulators.SecurId;
using RemoteOps.Lab.Emulators.Smc;

namespace RemoteOps.Lab.Emulators;

/// <summary>
/// Entry point: one process serves one emulated appliance over HTTPS on 127.0.0.1 only.
/// See README.md for the command line, endpoint.json and the /_lab/ control API.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        EmulatorOptions opt;
        try { opt = EmulatorOptions.Parse(args); }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            Console.Error.WriteLine(EmulatorOptions.Usage);
            return 2;
        }
        if (opt.ShowHelp) { Console.WriteLine(EmulatorOptions.Usage); return 0; }

        // Validate the parent before touching the state directory, so a wrong --parent-pid fails fast.
        DateTime? parentStart = null;
        if (opt.ParentPid is int ppid)
        {
            parentStart = ProcessStart(ppid);
            if (parentStart == null)
            {
                Console.Error.WriteLine($"error: --parent-pid {ppid} is not a running process");
                return 2;
            }
        }

        Directory.CreateDirectory(opt.StateDir);
        string endpointPath = Path.Combine(opt.StateDir, "endpoint.json");
        // A stale file from an earlier run must not be mistaken for this one by a polling test.
        if (File.Exists(endpointPath)) File.Delete(endpointPath);

        var certs = LabCertificates.Ensure(opt.StateDir);
        var lab = new LabRuntime(opt, certs, endpointPath);
        lab.Emulator = opt.Kind == "ics" ? new IcsEmulator(lab) : opt.Kind == "securid" ? new SecurIdEmulator(lab) : opt.Kind == "smc" ? new SmcEmulator(lab) : new FortiOsEmulator(lab);

        // The empty builder reads no appsettings, environment variables or command line, so
        // nothing (ASPNETCORE_URLS, Kestrel__Endpoints__...) can add a listener beyond the
        // loopback one configured here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "RemoteOps.Lab.Emulators",
            ContentRootPath = opt.StateDir,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, opt.Port, lo => lo.UseHttps(certs.Server));
        });
        builder.Services.AddRouting();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Aborted connections (the drop fault) are expected, not worth a warning each.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);

        var app = builder.Build();
        app.UseRouting();
        app.Use(lab.Handle);
        lab.MapControl(app);
        lab.Emulator.Map(app);

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        string stopReason = "stopped";
        var stopGate = new object();
        void Stop(string why)
        {
            lock (stopGate) { if (stopReason == "stopped") stopReason = why; }
            lifetime.StopApplication();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Stop("SIGTERM"); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Stop("SIGINT"); });
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => { c.Cancel = true; Stop("SIGQUIT"); });

        try { await app.StartAsync(); }
        catch (IOException ex)
        {
            // Kestrel reports a port in use as an IOException (AddressInUseException).
            Console.Error.WriteLine($"error: cannot listen on 127.0.0.1:{opt.Port}: {ex.Message}");
            return 1;
        }
        int port = BoundPort(app);
        if (!await AcceptsConnections(port))
        {
            Console.Error.WriteLine($"error: 127.0.0.1:{port} does not accept connections");
            await app.StopAsync();
            return 1;
        }
        lab.BaseUrl = "https://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lab.WriteEndpointFile();
        Console.WriteLine($"RemoteOps lab emulator: kind={opt.Kind} version={opt.Version} listening {lab.BaseUrl} pid={Environment.ProcessId}");
        Console.WriteLine($"endpoint file: {endpointPath} (CA {(certs.CaReused ? "reused" : "created")}, server certificate {(certs.ServerReused ? "reused" : "created")})");

        using var watchdogStop = new CancellationTokenSource();
        var watchdog = Task.Run(async () =>
        {
            while (!watchdogStop.IsCancellationRequested)
            {
                try { await Task.Delay(1000, watchdogStop.Token); }
                catch (OperationCanceledException) { return; }
                if (DateTime.UtcNow >= lab.ExpiresUtc) { Stop($"max lifetime of {opt.MaxLifetimeSec} s reached"); return; }
                if (opt.ParentPid is int p && ProcessStart(p) != parentStart) { Stop($"parent process {p} is gone"); return; }
            }
        });

        await app.WaitForShutdownAsync();
        watchdogStop.Cancel();
        await watchdog;
        lab.RemoveEndpointFile();
        Console.WriteLine($"RemoteOps lab emulator exiting: {stopReason}");
        await app.DisposeAsync();
        return 0;
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (string a in addresses ?? Array.Empty<string>())
            if (Uri.TryCreate(a, UriKind.Absolute, out Uri u) && u.Port > 0) return u.Port;
        throw new InvalidOperationException("Kestrel reported no bound address");
    }

    private static async Task<bool> AcceptsConnections(int port)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                using var client = new TcpClient(AddressFamily.InterNetwork);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
                return true;
            }
            catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    /// <summary>Start time of a process (guards against PID reuse); null when it does not exist.</summary>
    private static DateTime? ProcessStart(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited) return null;
            return p.StartTime;
        }
        catch (ArgumentException) { return null; }
        catch (InvalidOperationException) { return null; }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
