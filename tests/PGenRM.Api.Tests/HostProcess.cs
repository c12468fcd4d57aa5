using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>
/// A real host process (`dotnet PGenRM.Host.dll`, as README.md runs it) with the given arguments: stopped with
/// SIGTERM, or killed with SIGKILL as a crash would (its own process only, so an embedded Azurite it started in a
/// session of its own is left running, exactly as after a real crash).
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, int httpPort)
    {
        HttpPort = httpPort;
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"The host exited with code {_process.ExitCode}:\n{Output}"));
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The API's port.</summary>
    public int HttpPort { get; }

    /// <summary>Completes when the host printed "PGenRM listening on"; fails when it exits first.</summary>
    public Task Listening => _listening.Task;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the host wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the built host on a free API port with <paramref name="args"/> (silo and gateway ports free too).</summary>
    public static HostProcess Start(params string[] args)
    {
        string root = RepositoryRoot.Find();
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string dll = Path.Combine(root, "src", "PGenRM.Host", "bin", configuration, "net10.0", "linux-x64", "PGenRM.Host.dll");
        Assert.True(File.Exists(dll), $"The host is not built at {dll}.");
        int http = ApiFixture.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (string arg in (string[])
                 [
                     dll, "--urls", $"http://127.0.0.1:{http}",
                     $"--PGenRM:SiloPort={ApiFixture.FreePort()}", $"--PGenRM:GatewayPort={ApiFixture.FreePort()}",
                     "--Logging:LogLevel:Default=Warning", .. args,
                 ])
        {
            start.ArgumentList.Add(arg);
        }

        return new HostProcess(Process.Start(start)!, http);
    }

    /// <summary>A client on the API with <paramref name="key"/> as bearer key.</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>SIGKILL of the host process alone (no chance to stop anything), then waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>SIGTERM, as a service manager would; returns the exit code (-1 when it had to be killed after 60 s).</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            return -1;
        }

        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("PGenRM listening on ", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}
