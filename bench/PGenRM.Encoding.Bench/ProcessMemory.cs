namespace PGenRM.Encoding.Bench;

/// <summary>Resident set size from /proc (Linux only), in MiB.</summary>
internal static class ProcessMemory
{
    public static double CurrentRssMiB() => ReadKiB("VmRSS:") / 1024.0;

    public static double PeakRssMiB() => ReadKiB("VmHWM:") / 1024.0;

    /// <summary>Resets the peak (VmHWM) to the current RSS, so a later peak belongs to what ran in between.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadKiB(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
