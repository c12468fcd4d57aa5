using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PGenRM.Testing;

/// <summary>
/// Starts Azurite (blob, queue, table) from the repo's pinned npm package (tools/azurite) on three free loopback
/// ports, in memory, and stops it on dispose. Installs the package (deploy/scripts/azurite.sh --install) when it is
/// missing. It never
/// skips: a test that needs storage fails with a message saying what is missing, because on CI nothing may be absent.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key (public, emulator only).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Blob service port.</summary>
    public int BlobPort { get; private set; }

    /// <summary>Queue service port.</summary>
    public int QueuePort { get; private set; }

    /// <summary>Table service port.</summary>
    public int TablePort { get; private set; }

    /// <summary>Full connection string for the Azure SDK clients (http, development account, this instance's ports).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        string root = RepositoryRoot.Find();
        string package = Path.Combine(root, "tools", "azurite");
        string azurite = Path.Combine(package, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            await InstallAsync(root).ConfigureAwait(false);
        }

        // Three ports from the OS, released just before Azurite binds them; a clash with another process in that
        // window shows up as "exited before its ports answered" with Azurite's own message.
        (BlobPort, QueuePort, TablePort) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = package,
        };
        foreach (string arg in new[]
                 {
                     "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", $"{BlobPort}", "--queuePort", $"{QueuePort}", "--tablePort", $"{TablePort}",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {azurite}.");
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        foreach (int port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await AnswersAsync(port).ConfigureAwait(false))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"Azurite exited with code {_process.ExitCode} before port {port} answered. Output:\n{Captured()}");
                }

                if (deadline.Elapsed > StartTimeout)
                {
                    await DisposeAsync().ConfigureAwait(false);
                    throw new TimeoutException($"Azurite did not answer on port {port} within {StartTimeout.TotalSeconds} s. Output:\n{Captured()}");
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (process.HasExited)
            {
                return;
            }

            // SIGKILL of the node process tree: Azurite holds only in-memory data, so a graceful stop buys nothing,
            // and waiting (bounded) makes sure the ports are free before the next fixture starts.
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Azurite (pid {process.Id}) did not exit within {StopTimeout.TotalSeconds} s of SIGKILL.");
            }
        }
    }

    /// <summary>
    /// Installs the pinned package through deploy/scripts/azurite.sh --install, the one place that knows how (CI runs
    /// the same command); the script fails with a clear message when npm is missing.
    /// </summary>
    private static async Task InstallAsync(string root)
    {
        string script = Path.Combine(root, "deploy", "scripts", "azurite.sh");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--install");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Azurite is not installed and bash was not found to run {script} --install ({e.Message}).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{script} --install did not finish within {InstallTimeout.TotalMinutes} min.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"Installing Azurite failed ({script} --install, exit code {process.ExitCode}):\n" +
                    $"{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Captured()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(none)" : _output.ToString();
        }
    }
}
