using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace PGenRM.Host.Hosting;

/// <summary>
/// Azurite (blob, queue, table) started by the host from the repository's pinned npm package (tools/azurite), on
/// loopback, with its data on disk in a folder of its own, and stopped with the host (after the silo: a silo whose
/// storage vanished hangs in shutdown). Installs the package with deploy/scripts/azurite.sh --install when missing.
/// </summary>
public sealed partial class EmbeddedAzurite : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, emulator only).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _pidFile;

    private EmbeddedAzurite(int blobPort, int queuePort, int tablePort)
    {
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>Table service port.</summary>
    public int TablePort { get; }

    /// <summary>Process id of Azurite (node).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Connection string for the Azure SDK clients (http, development account, this instance's ports).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Starts Azurite with its data in <paramref name="location"/> and waits until all three ports answer.</summary>
    /// <param name="location">Data folder (created if missing).</param>
    /// <param name="blobPort">Blob port; 0 = a free port.</param>
    /// <param name="queuePort">Queue port; 0 = a free port.</param>
    /// <param name="tablePort">Table port; 0 = a free port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EmbeddedAzurite> StartAsync(string location, int blobPort, int queuePort, int tablePort, CancellationToken cancellationToken = default)
    {
        string root = FindRepositoryRoot();
        string package = Path.Combine(root, "tools", "azurite");
        string azurite = Path.Combine(package, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            await InstallAsync(root, cancellationToken).ConfigureAwait(false);
        }

        Directory.CreateDirectory(location);
        string pidFile = Path.Combine(location, "azurite.pid");
        await StopStaleAsync(pidFile, Path.GetFullPath(location)).ConfigureAwait(false);
        var instance = new EmbeddedAzurite(PortOrFree(blobPort), PortOrFree(queuePort), PortOrFree(tablePort));
        foreach (int port in new[] { instance.BlobPort, instance.QueuePort, instance.TablePort })
        {
            if (await AnswersAsync(port).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"Port {port} on 127.0.0.1 is already in use, so Azurite cannot start there. Stop what holds it, choose other ports " +
                    "(PGenRM:AzuriteBlobPort/AzuriteQueuePort/AzuriteTablePort, 0 = free), or set PGenRM:StorageConnectionString.");
            }
        }

        // Its own session (setsid): Ctrl+C in a terminal signals the whole foreground process group, and an Azurite
        // that stopped with the host would leave the silo hanging in shutdown; the host stops it after the silo instead.
        string? setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var start = new ProcessStartInfo(setsid ?? azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = package,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(azurite);
        }

        foreach (string arg in new[]
                 {
                     "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--location", Path.GetFullPath(location),
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", $"{instance.BlobPort}", "--queuePort", $"{instance.QueuePort}", "--tablePort", $"{instance.TablePort}",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        instance._process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {azurite}.");
        instance._pidFile = pidFile;
        await File.WriteAllTextAsync(pidFile, instance._process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        instance._process.OutputDataReceived += (_, e) => instance.Capture(e.Data);
        instance._process.ErrorDataReceived += (_, e) => instance.Capture(e.Data);
        instance._process.BeginOutputReadLine();
        instance._process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        foreach (int port in new[] { instance.BlobPort, instance.QueuePort, instance.TablePort })
        {
            while (!await AnswersAsync(port).ConfigureAwait(false))
            {
                if (instance._process.HasExited)
                {
                    string output = instance.Captured();
                    await instance.DisposeAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"Azurite exited before port {port} answered. Output:\n{output}");
                }

                if (deadline.Elapsed > StartTimeout || cancellationToken.IsCancellationRequested)
                {
                    string output = instance.Captured();
                    await instance.DisposeAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new TimeoutException($"Azurite did not answer on port {port} within {StartTimeout.TotalSeconds} s. Output:\n{output}");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        return instance;
    }

    /// <summary>Stops Azurite: SIGTERM (it saves its data), then SIGKILL after a bounded wait.</summary>
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
                DeletePidFile();
                return;
            }

            _ = Kill(process.Id, SigTerm);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            DeletePidFile();
        }
    }

    /// <summary>
    /// A host killed with SIGKILL leaves its Azurite running on the data folder (and its ports). The next start stops
    /// that one: the process in the folder's pid file, only if its command line names this very folder.
    /// </summary>
    private static async Task StopStaleAsync(string pidFile, string location)
    {
        if (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), out int pid))
        {
            return;
        }

        string cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline) && (await File.ReadAllTextAsync(cmdline).ConfigureAwait(false)).Split('\0').Contains(location))
        {
            _ = Kill(pid, SigTerm);
            var deadline = Stopwatch.StartNew();
            while (File.Exists(cmdline) && deadline.Elapsed < StopTimeout)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }

            if (File.Exists(cmdline))
            {
                _ = Kill(pid, SigKill);
            }
        }

        File.Delete(pidFile);
    }

    private void DeletePidFile()
    {
        if (_pidFile is not null && File.Exists(_pidFile))
        {
            File.Delete(_pidFile);
        }
    }

    /// <summary>The folder holding tools/azurite: above the host's binaries, or above the working directory.</summary>
    internal static string FindRepositoryRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tools", "azurite", "package.json")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"tools/azurite was not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}: run the host from a " +
            "checkout of the repository, or set PGenRM:StorageConnectionString to an Azure Storage account.");
    }

    private static async Task InstallAsync(string root, CancellationToken cancellationToken)
    {
        string script = Path.Combine(root, "deploy", "scripts", "azurite.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--install");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InstallTimeout);
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
                $"Installing Azurite failed ({script} --install, exit code {process.ExitCode}):\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static int PortOrFree(int port)
    {
        if (port != 0)
        {
            return port;
        }

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

    private const int SigTerm = 15;
    private const int SigKill = 9;

    // .NET has no portable "send SIGTERM"; Process.Kill sends SIGKILL, which would skip Azurite's save of its data.
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
