using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace PGenRM.Hosting.Azurite;

/// <summary>
/// Azurite (blob, queue, table) started from the repository's pinned npm package (tools/azurite) on loopback, and
/// stopped on dispose. Installs the package with deploy/scripts/azurite.sh --install when it is missing (CI runs the
/// same command). Runs with --skipApiVersionCheck --loose, as the Azure SDK versions in use need.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, emulator only).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Azurite's output file in a data folder (rewritten at each start).</summary>
    public const string LogFileName = "azurite.log";

    private const int SigTerm = 15;
    private const int SigKill = 9;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private readonly StringBuilder _output = new();
    private readonly string? _pidFile;
    private Process? _process;

    private AzuriteProcess(int blobPort, int queuePort, int tablePort, string? pidFile)
    {
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        _pidFile = pidFile;
    }

    /// <summary>Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>Table service port.</summary>
    public int TablePort { get; }

    /// <summary>Connection string for the Azure SDK clients (http, development account, this instance's ports).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Starts Azurite as <paramref name="options"/> say and waits until all three ports answer.</summary>
    /// <param name="options">Data folder (or in memory), ports, session.</param>
    /// <param name="cancellationToken">Cancels the start (Azurite is stopped again).</param>
    /// <exception cref="ArgumentException">A port outside 0–65535.</exception>
    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, port) in new[] { (nameof(options.BlobPort), options.BlobPort), (nameof(options.QueuePort), options.QueuePort), (nameof(options.TablePort), options.TablePort) })
        {
            if (port is < 0 or > IPEndPoint.MaxPort)
            {
                throw new ArgumentException($"Azurite {name} {port} is not a port (0–{IPEndPoint.MaxPort}; 0 = a free port).", nameof(options));
            }
        }

        string root = FindRepositoryRoot(options.ConfigurationHint);
        string package = Path.Combine(root, "tools", "azurite");
        string azurite = Path.Combine(package, "node_modules", ".bin", "azurite");
        if (!Installed(package))
        {
            // Parallel test collections start Azurite together: one install, the others wait for it (the script also
            // locks across processes).
            await InstallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!Installed(package))
                {
                    await InstallAsync(root, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                InstallGate.Release();
            }
        }

        string? location = options.DataFolder is null ? null : Path.GetFullPath(options.DataFolder);
        string? pidFile = null;
        if (location is not null)
        {
            Directory.CreateDirectory(location);
            pidFile = Path.Combine(location, "azurite.pid");
            await StopStaleAsync(pidFile, location).ConfigureAwait(false);
        }

        // Free ports come from the OS, released just before Azurite binds them; a clash with another process in that
        // window shows up as "exited before port N answered" with Azurite's own message.
        var instance = new AzuriteProcess(PortOrFree(options.BlobPort), PortOrFree(options.QueuePort), PortOrFree(options.TablePort), pidFile);
        foreach (int port in instance.Ports)
        {
            if (await AnswersAsync(port).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"Port {port} on 127.0.0.1 is already in use, so Azurite cannot start there. Stop what holds it or choose other ports." +
                    Hint(options.ConfigurationHint));
            }
        }

        // Its own session (setsid): Ctrl+C in a terminal signals the whole foreground process group, and an Azurite
        // that stopped with its owner would leave a silo hanging in shutdown; the owner stops it after the silo instead.
        string? setsid = options.OwnSession ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists) : null;
        string? log = location is null ? null : Path.Combine(location, LogFileName);
        var command = new List<string>();
        if (log is not null)
        {
            // With a data folder Azurite writes to a log file there, never to a pipe of its owner: an owner killed with
            // SIGKILL leaves the pipe without a reader, and Azurite's "closing..." line on the next SIGTERM then fails
            // with EPIPE and kills it before it saves its table store (measured: every row since the last 5 s autosave
            // lost). sh execs the rest, so the process id stays Azurite's.
            command.AddRange(["/bin/sh", "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1", "sh", log]);
        }

        if (setsid is not null)
        {
            command.Add(setsid);
        }

        command.Add(azurite);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = package,
        };
        foreach (string part in command.Skip(1))
        {
            start.ArgumentList.Add(part);
        }

        var args = new List<string> { "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose" };
        args.AddRange(location is null ? ["--inMemoryPersistence"] : ["--location", location]);
        args.AddRange(
        [
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", $"{instance.BlobPort}", "--queuePort", $"{instance.QueuePort}", "--tablePort", $"{instance.TablePort}",
        ]);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {azurite}.");
        instance._process = process;
        if (pidFile is not null)
        {
            await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
        }

        process.OutputDataReceived += (_, e) => instance.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        foreach (int port in instance.Ports)
        {
            while (!await AnswersAsync(port).ConfigureAwait(false))
            {
                if (process.HasExited)
                {
                    string output = instance.Captured(location);
                    int exitCode = process.ExitCode;
                    await instance.DisposeAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"Azurite exited with code {exitCode} before port {port} answered. Output:\n{output}");
                }

                if (deadline.Elapsed > StartTimeout || cancellationToken.IsCancellationRequested)
                {
                    string output = instance.Captured(location);
                    await instance.DisposeAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new TimeoutException($"Azurite did not answer on port {port} within {StartTimeout.TotalSeconds} s. Output:\n{output}");
                }

                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return instance;
    }

    /// <summary>
    /// Stops Azurite. With a data folder: SIGTERM (it saves its data), then SIGKILL after a bounded wait. In memory:
    /// SIGKILL of the process tree (a graceful stop saves nothing), waiting (bounded) until the ports are free.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                if (_pidFile is not null)
                {
                    await StopGracefullyAsync(process).ConfigureAwait(false);
                }
                else
                {
                    await StopNowAsync(process).ConfigureAwait(false);
                }
            }

            if (_pidFile is not null && File.Exists(_pidFile))
            {
                File.Delete(_pidFile);
            }
        }
    }

    private int[] Ports => [BlobPort, QueuePort, TablePort];

    private static async Task StopGracefullyAsync(Process process)
    {
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
    }

    private static async Task StopNowAsync(Process process)
    {
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

    /// <summary>
    /// An owner killed with SIGKILL leaves its Azurite running on the data folder (and its ports). The next start stops
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

    /// <summary>The folder holding tools/azurite: above the running binaries, or above the working directory.</summary>
    private static string FindRepositoryRoot(string? hint)
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
            $"tools/azurite was not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}: run from a checkout of the repository." +
            Hint(hint));
    }

    /// <summary>
    /// Installs the pinned package through deploy/scripts/azurite.sh --install, the one place that knows how; the
    /// script fails with a clear message when npm is missing.
    /// </summary>
    private static async Task InstallAsync(string root, CancellationToken cancellationToken)
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
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>
    /// Whether the package is completely installed: npm links .bin/azurite before it has written every file and writes
    /// its hidden lock file (node_modules/.package-lock.json) last, so .bin/azurite alone can mean half an install.
    /// </summary>
    private static bool Installed(string package) =>
        File.Exists(Path.Combine(package, "node_modules", ".bin", "azurite")) &&
        File.Exists(Path.Combine(package, "node_modules", ".package-lock.json"));

    private static string Hint(string? hint) => string.IsNullOrWhiteSpace(hint) ? "" : " " + hint;

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

    private string Captured(string? location)
    {
        string log = location is null ? "" : Path.Combine(location, LogFileName);
        if (log.Length > 0 && File.Exists(log))
        {
            string text = File.ReadAllText(log);
            return text.Length == 0 ? "(none)" : text;
        }

        lock (_output)
        {
            return _output.Length == 0 ? "(none)" : _output.ToString();
        }
    }

    // .NET has no portable "send SIGTERM"; Process.Kill sends SIGKILL, which would skip Azurite's save of its data.
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
