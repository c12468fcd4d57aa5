return await PGenRM.Host.Hosting.PGenRMHost.RunAsync(args);
