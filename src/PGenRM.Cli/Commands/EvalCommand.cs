using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PGenRM.Core.Criteria;
using PGenRM.Core.Features;
using PGenRM.Core.Model;
using PGenRM.Core.Scenarios;
using PGenRM.Encoding.Onnx;
using PGenRM.Evaluation;
using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Protocols;
using PGenRM.Evaluation.Reports;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>`pgenrm eval`: accuracy tables on the shared human preference data.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var datasets = new Option<string[]>("--dataset")
        {
            Description = "Datasets: polis, tldr, gsc, prb (prb needs --prb-path). Default: polis tldr gsc.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["polis", "tldr", "gsc"],
        };
        var protocols = new Option<string>("--protocol")
        {
            Description = "new, shared or both.",
            DefaultValueFactory = _ => "both",
        };
        var seeds = new Option<int>("--seeds") { Description = "Number of seeded splits (seeds 0..n-1).", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Folder for the Markdown and JSON tables.", DefaultValueFactory = _ => "eval-out" };
        var data = new Option<string?>("--data") { Description = "Folder holding the datasets (default: ../shared/data found from here)." };
        var prbPath = new Option<string?>("--prb-path") { Description = "PersonalRewardBench rows (JSONL or CSV: user_id, context, chosen, rejected, split)." };
        var polisConversations = new Option<string[]?>("--polis-conversation")
        {
            Description = "Polis conversations to load (default: the five English ones of the feasibility study).",
            AllowMultipleArgumentsPerToken = true,
        };
        var quick = new Option<bool>("--quick") { Description = "Skip ablation trainers and larger scaling sizes (a fast smoke run)." };
        var noIndividual = new Option<bool>("--no-individual") { Description = "Skip the individual-level scaling rows (m > 1), the costly ones (development runs)." };
        var firstSeed = new Option<int>("--first-seed") { Description = "First seed (development runs use seeds ≥ 100; reported tables use 0..n-1).", DefaultValueFactory = _ => 0 };
        var judgmentWeight = new Option<double?>("--judgment-weight") { Description = "Override the logit weight of a neighbour's actual judgment." };
        var noJudges = new Option<bool>("--no-item-judges") { Description = "Prototype level from prototype members only (not the items' judges)." };
        var prototypesOption = new Option<int?>("--prototypes") { Description = "Override the number of prototypes k." };
        var factors = new Option<int?>("--factors") { Description = "Override the factor dimension F." };
        var rounds = new Option<int?>("--rounds") { Description = "Override the trainer's alternating rounds." };
        var criterion = new Option<PriorScaleCriterion?>("--prior-criterion") { Description = "How the per-user prior strength is chosen: Evidence or LeaveOneOut." };
        var neighbourKey = new Option<NeighbourKeyKind?>("--neighbour-key") { Description = "What neighbours are compared on: Factor, Scheme or Sketch." };
        var embedding = new Option<int?>("--embedding-components") { Description = "Override the embedding block's size E (development runs)." };
        var embeddingScale = new Option<double?>("--embedding-scale") { Description = "Override the embedding block's scale (development runs)." };
        var priorGrid = new Option<double[]?>("--prior-grid")
        {
            Description = "Override the per-user prior-strength grid (development runs).",
            AllowMultipleArgumentsPerToken = true,
        };
        var factorPriorScale = new Option<double?>("--item-factor-prior-scale") { Description = "Override the scale of the content-derived item factor prior (development runs)." };
        var tenantProjection = new Option<bool>("--tenant-projection") { Description = "Learn each split's residual basis from its train responses (TenantProjection; development runs, not in the service yet)." };
        var jointFit = new Option<bool>("--joint-fit") { Description = "Fit users' content and collaborative parts jointly, as before issue 11 (development ablation)." };
        var noShrinkage = new Option<bool>("--no-prototype-shrinkage") { Description = "Leave prototype centroids unshrunk (development ablation)." };
        var shrinkageRule = new Option<PrototypeShrinkageRule?>("--prototype-shrinkage") { Description = "How κ, the shrinkage of prototype centroids toward the population, is estimated: MethodOfMoments or HeldOut (development ablation)." };
        var statedWeight = new Option<double?>("--stated-preference-weight") { Description = "Override the weight of a user's stated-preference pseudo-pair (HybridModelOptions.StatedPreferenceWeight; 0 = ignore it; development ablation)." };
        var clusterOnScheme = new Option<bool>("--cluster-on-scheme") { Description = "Take the content weights' prior from the whole-scheme clustering too, as before issue 11 (development ablation)." };
        var weighting = new Option<NeighbourWeighting?>("--neighbour-weighting") { Description = "How the prototype level weighs neighbours: Agreement (default) or Equal, as before session 3 (development ablation)." };
        var agreementPrior = new Option<double?>("--agreement-prior") { Description = "Override the agreement rule's pseudo-count c (ScalingOptions.AgreementPrior; 0 = the unshrunk rule of session 3)." };
        var agreementPriorGrid = new Option<double[]?>("--agreement-prior-grid")
        {
            Description = "Development rows: also score full + prototype n with each of these pseudo-counts c (from the same trained model).",
            AllowMultipleArgumentsPerToken = true,
        };
        var agreementTarget = new Option<AgreementTarget?>("--agreement-target") { Description = "Override what the agreement weight is shrunk toward: One (session 4), Pool or PoolRelative (ScalingOptions.AgreementTarget)." };
        var agreementTargetGrid = new Option<AgreementTarget[]?>("--agreement-target-grid")
        {
            Description = "Development rows: also score full + prototype n (seen users) and unseen k + n with each of these shrink targets (from the same trained model).",
            AllowMultipleArgumentsPerToken = true,
        };
        var blendProbe = new Option<bool>("--blend-probe") { Description = "Development probe row on shared content: per-user weights on the content part and the item strength, fitted by the evidence (not in the service)." };
        var cache = new Option<string?>("--cache") { Description = "Folder of the embedding cache (default: cache/ under --out); share it between runs to encode each text once." };
        var strengthPrecision = new Option<double?>("--item-strength-precision") { Description = "Override the prior precision of item strengths (development runs)." };
        var strengthWeightPrecision = new Option<double?>("--strength-weight-precision")
        {
            Description = "Override the base prior precision of a user's weight δ on item strength (HybridModelOptions.StrengthWeightPrecision; development runs, 1e12 pins δ at 0).",
        };
        var ownCollaborativeScale = new Option<bool>("--own-collaborative-scale")
        {
            Description = "Each user chooses its collaborative stage's prior scale by its own evidence, as before session 7, instead of the tenant's (TrainerOptions.TenantCollaborativeScale = false; development ablation).",
        };
        var split = new Option<string>("--split")
        {
            Description = "seeded (the protocols' seeded splits) or file (the dataset's own split column: train / test rows).",
            DefaultValueFactory = _ => "seeded",
        };
        var maxTrain = new Option<int>("--max-train-pairs") { Description = "Cap on train pairs per user (0 = all).", DefaultValueFactory = _ => new SplitOptions().MaxTrainPairsPerUser };
        var maxTest = new Option<int>("--max-test-pairs") { Description = "Cap on test pairs per user (0 = all).", DefaultValueFactory = _ => new SplitOptions().MaxTestPairsPerUser };
        var unseenShare = new Option<double>("--unseen-share") { Description = "Share of users held out as unseen (0 = every user seen).", DefaultValueFactory = _ => new SplitOptions().UnseenUserFraction };
        var strict = new Option<bool>("--strict") { Description = "Refuse a file with a malformed or near-duplicate row instead of skipping and counting it." };

        var backend = new Option<string>("--backend") { Description = "compact (default) or llm (a generative judge behind --endpoint).", DefaultValueFactory = _ => "compact" };
        var endpoint = new Option<string?>("--endpoint") { Description = "llm backend: OpenAI-compatible base URL with /v1 (API key from PGENRM_JUDGE_API_KEY)." };
        var model = new Option<string?>("--model") { Description = "llm backend: the served model name." };
        var maxPairs = new Option<int>("--max-pairs") { Description = "llm backend: most test pairs judged in total (resumed ones included).", DefaultValueFactory = _ => 1000 };
        var judgeM = new Option<int>("--judge-m") { Description = "llm backend: individual-level chains per pair (the paper's m).", DefaultValueFactory = _ => 1 };
        var judgeN = new Option<int>("--judge-n") { Description = "llm backend: prototype-level chains per pair (the paper's n).", DefaultValueFactory = _ => 0 };
        var command = new Command("eval", "Evaluate the compact evaluator (or, with --backend llm, a generative judge) on real preference data under both protocols.")
        {
            datasets, protocols, seeds, output, data, prbPath, polisConversations, quick, firstSeed, judgmentWeight, noJudges, prototypesOption, factors, rounds, neighbourKey, criterion,
            backend, endpoint, model, maxPairs, judgeM, judgeN, split, maxTrain, maxTest, unseenShare, strict, embedding, embeddingScale, priorGrid, noIndividual, factorPriorScale, strengthPrecision, tenantProjection, cache, jointFit, noShrinkage, clusterOnScheme, weighting,
            agreementPrior, agreementPriorGrid, blendProbe, agreementTarget, agreementTargetGrid, shrinkageRule, statedWeight, strengthWeightPrecision,
            ownCollaborativeScale,
        };
        command.SetAction((parse, cancellationToken) => parse.GetValue(backend) == "compact" ? RunAsync(
            parse.GetValue(datasets)!, parse.GetValue(protocols)!, parse.GetValue(seeds), parse.GetValue(output)!,
            parse.GetValue(data), parse.GetValue(prbPath), parse.GetValue(polisConversations), parse.GetValue(quick),
            parse.GetValue(firstSeed), parse.GetValue(judgmentWeight), parse.GetValue(noJudges), parse.GetValue(prototypesOption),
            parse.GetValue(factors), parse.GetValue(rounds), parse.GetValue(neighbourKey), parse.GetValue(criterion),
            new SplitArguments(parse.GetValue(split)!, parse.GetValue(maxTrain), parse.GetValue(maxTest), parse.GetValue(unseenShare), parse.GetValue(strict)),
            new ModelArguments(parse.GetValue(embedding), parse.GetValue(embeddingScale), parse.GetValue(priorGrid), parse.GetValue(noIndividual),
                parse.GetValue(factorPriorScale), parse.GetValue(strengthPrecision), parse.GetValue(tenantProjection), parse.GetValue(cache), parse.GetValue(jointFit), parse.GetValue(noShrinkage), parse.GetValue(clusterOnScheme),
                parse.GetValue(weighting), parse.GetValue(agreementPrior), parse.GetValue(agreementPriorGrid), parse.GetValue(blendProbe),
                parse.GetValue(agreementTarget), parse.GetValue(agreementTargetGrid), parse.GetValue(shrinkageRule), parse.GetValue(statedWeight),
                parse.GetValue(strengthWeightPrecision), parse.GetValue(ownCollaborativeScale)),
            cancellationToken)
            : RunLlmAsync(
                parse.GetValue(backend)!, parse.GetValue(datasets)!, parse.GetValue(protocols)!, parse.GetValue(seeds), parse.GetValue(firstSeed),
                parse.GetValue(output)!, parse.GetValue(data), parse.GetValue(prbPath), parse.GetValue(polisConversations), parse.GetValue(endpoint),
                parse.GetValue(model), parse.GetValue(maxPairs), parse.GetValue(judgeM), parse.GetValue(judgeN), cancellationToken));
        return command;
    }

    private static async Task<int> RunLlmAsync(
        string backend, string[] datasetNames, string protocol, int seedCount, int firstSeed, string output, string? dataFolder, string? prbPath,
        string[]? polisConversations, string? endpointText, string? model, int maxPairs, int m, int n, CancellationToken cancellationToken)
    {
        Uri? endpoint = Uri.TryCreate(endpointText, UriKind.Absolute, out var parsed) ? parsed : null;
        var protocolList = Protocols(protocol);
        string? problem = backend != "llm" ? $"--backend must be compact or llm; got '{backend}'."
            : endpoint is null ? "--backend llm needs --endpoint URL (for example http://127.0.0.1:8000/v1)."
            : string.IsNullOrWhiteSpace(model) ? "--backend llm needs --model NAME."
            : protocolList is null ? $"--protocol must be new, shared or both; got '{protocol}'."
            : maxPairs < 1 || m < 1 || m > 64 || n < 0 || n > 64 ? "--max-pairs must be at least 1, --judge-m 1–64 and --judge-n 0–64."
            : seedCount is < 1 or > 50 ? "--seeds must be between 1 and 50." : null;
        if (problem is not null)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
            return 2;
        }

        var datasets = new List<PreferenceDataset>();
        foreach (string name in datasetNames)
        {
            try
            {
                datasets.Add(Load(name, dataFolder, prbPath, polisConversations));
            }
            catch (Exception error) when (error is ArgumentException or DatasetFormatException or IOException or NotSupportedException)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
                return 2;
            }
        }

        return await LlmEvaluation.RunAsync(
            datasets, protocolList!, Enumerable.Range(firstSeed, seedCount).ToArray(), output, endpoint!, model!, maxPairs, m, n, Console.Out, cancellationToken);
    }

    private static EvaluationProtocol[]? Protocols(string protocol) => protocol.ToLowerInvariant() switch
    {
        "new" => [EvaluationProtocol.NewContent],
        "shared" => [EvaluationProtocol.SharedContent],
        "both" => [EvaluationProtocol.NewContent, EvaluationProtocol.SharedContent],
        _ => null,
    };

    private static PreferenceDataset Load(string name, string? dataFolder, string? prbPath, string[]? polisConversations, bool strict = false)
    {
        // Only the PersonalRewardBench file needs no shared data folder.
        string Root() => dataFolder ?? SharedDataLocator.Find();
        return name.ToLowerInvariant() switch
        {
            "polis" => PolisLoader.Load(Path.Combine(Root(), "polis-opendata"), polisConversations is { Length: > 0 } ? polisConversations : null),
            "tldr" => TldrLoader.Load(Path.Combine(Root(), "summarize-from-feedback-tldr")),
            "gsc" => GscLoader.Load(Path.Combine(Root(), "gsc-chatbot-personalization")),
            "prb" => PersonalRewardBenchLoader.Load(prbPath ?? throw new ArgumentException("--dataset prb needs --prb-path."), strict),
            _ => throw new ArgumentException($"Unknown dataset '{name}'; use polis, tldr, gsc or prb."),
        };
    }


    /// <summary>The split options of the command line, checked by <see cref="ToSplitOptions"/>.</summary>
    internal sealed record SplitArguments(string Split, int MaxTrainPairs, int MaxTestPairs, double UnseenShare, bool Strict)
    {
        /// <summary>The split options for a dataset, or an error message naming the bad option.</summary>
        public (SplitOptions? Options, string? Error) ToSplitOptions(string datasetName)
        {
            bool file = string.Equals(Split, "file", StringComparison.OrdinalIgnoreCase);
            if (!file && !string.Equals(Split, "seeded", StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"--split must be seeded or file; got '{Split}'.");
            }

            if (MaxTrainPairs < 0 || MaxTestPairs < 0)
            {
                return (null, "--max-train-pairs and --max-test-pairs must be ≥ 0 (0 = all).");
            }

            if (!(UnseenShare >= 0 && UnseenShare < 1))
            {
                return (null, "--unseen-share must be in [0, 1).");
            }

            // GSC users rated 5 or 6 statements, so a split leaves them a handful of pairs: evaluate everyone with any.
            var options = datasetName == "gsc" ? new SplitOptions { MinTrainPairsSeen = 1, MinTrainPairsUnseen = 1 } : new SplitOptions();
            return (options with { UseSourceSplit = file, MaxTrainPairsPerUser = MaxTrainPairs, MaxTestPairsPerUser = MaxTestPairs, UnseenUserFraction = UnseenShare }, null);
        }
    }

    /// <summary>Development overrides of the feature space and the prior grid.</summary>
    internal sealed record ModelArguments(
        int? EmbeddingComponents, double? EmbeddingScale, double[]? PriorGrid, bool NoIndividual, double? ItemFactorPriorScale, double? ItemStrengthPrecision,
        bool TenantProjection = false, string? Cache = null, bool JointFit = false, bool NoShrinkage = false, bool ClusterOnScheme = false,
        NeighbourWeighting? Weighting = null, double? AgreementPrior = null, double[]? AgreementPriorGrid = null, bool BlendProbe = false,
        AgreementTarget? AgreementTarget = null, AgreementTarget[]? AgreementTargetGrid = null, PrototypeShrinkageRule? ShrinkageRule = null, double? StatedPreferenceWeight = null,
        double? StrengthWeightPrecision = null, bool OwnCollaborativeScale = false);

    private static async Task<int> RunAsync(
        string[] datasetNames, string protocol, int seedCount, string output, string? dataFolder, string? prbPath,
        string[]? polisConversations, bool quick, int firstSeed, double? judgmentWeight, bool noJudges, int? prototypes, int? factors, int? rounds, NeighbourKeyKind? neighbourKey, PriorScaleCriterion? criterion,
        SplitArguments splitArguments, ModelArguments modelArguments, CancellationToken cancellationToken)
    {
        var protocolList = Protocols(protocol);
        if (protocolList is null)
        {
            AnsiConsole.MarkupLine($"[red]--protocol must be new, shared or both; got '{Markup.Escape(protocol)}'.[/]");
            return 2;
        }

        if (seedCount < 1 || seedCount > 50)
        {
            AnsiConsole.MarkupLine("[red]--seeds must be between 1 and 50.[/]");
            return 2;
        }

        if (splitArguments.ToSplitOptions("any").Error is { } splitError)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(splitError)}[/]");
            return 2;
        }

        if ((modelArguments.AgreementPrior is { } c && !(c >= 0 && double.IsFinite(c)))
            || (modelArguments.AgreementPriorGrid ?? []).Any(g => !(g >= 0 && double.IsFinite(g))))
        {
            AnsiConsole.MarkupLine("[red]--agreement-prior and --agreement-prior-grid take finite numbers ≥ 0.[/]");
            return 2;
        }

        if (modelArguments.StatedPreferenceWeight is { } stated && !(stated >= 0 && double.IsFinite(stated)))
        {
            AnsiConsole.MarkupLine("[red]--stated-preference-weight takes a finite number ≥ 0.[/]");
            return 2;
        }

        string root = dataFolder ?? SharedDataLocator.Find();
        using var encoder = new OnnxSentenceEncoder();
        var bank = await CriteriaBank.CreateAsync(encoder, cancellationToken: cancellationToken);
        var scenarios = await ScenarioSet.CreateAsync(encoder, cancellationToken: cancellationToken);
        var featureOptions = new FeatureSpaceOptions();
        featureOptions = featureOptions with
        {
            FactorDimension = factors ?? featureOptions.FactorDimension,
            EmbeddingComponents = modelArguments.EmbeddingComponents ?? featureOptions.EmbeddingComponents,
            EmbeddingScale = modelArguments.EmbeddingScale ?? featureOptions.EmbeddingScale,
        };
        var space = FeatureSpace.Create(bank, scenarios, featureOptions);
        var store = new EmbeddingStore(encoder, modelArguments.Cache ?? Path.Combine(output, "cache"));
        var settings = quick
            ? new EvaluationSettings { Ablations = false, IndividualM = [8], PrototypeN = [8] }
            : new EvaluationSettings();
        settings = settings with
        {
            UseItemJudges = !noJudges,
            TenantProjection = modelArguments.TenantProjection,
            IndividualM = modelArguments.NoIndividual ? [] : settings.IndividualM,
            Combined = modelArguments.NoIndividual ? (1, settings.Combined.N) : settings.Combined,
            Model = settings.Model with
            {
                PriorScaleCriterion = criterion ?? settings.Model.PriorScaleCriterion,
                PriorScaleGrid = modelArguments.PriorGrid is { Length: > 0 } grid ? grid : settings.Model.PriorScaleGrid,
                ItemFactorPriorScale = modelArguments.ItemFactorPriorScale ?? settings.Model.ItemFactorPriorScale,
                ItemStrengthPrecision = modelArguments.ItemStrengthPrecision ?? settings.Model.ItemStrengthPrecision,
                StrengthWeightPrecision = modelArguments.StrengthWeightPrecision ?? settings.Model.StrengthWeightPrecision,
                CollaborativeOnResidual = !modelArguments.JointFit,
                StatedPreferenceWeight = modelArguments.StatedPreferenceWeight ?? settings.Model.StatedPreferenceWeight,
            },
            Scaling = settings.Scaling with
            {
                JudgmentWeight = judgmentWeight ?? settings.Scaling.JudgmentWeight,
                Weighting = modelArguments.Weighting ?? settings.Scaling.Weighting,
                AgreementPrior = modelArguments.AgreementPrior ?? settings.Scaling.AgreementPrior,
                AgreementTarget = modelArguments.AgreementTarget ?? settings.Scaling.AgreementTarget,
            },
            AgreementPriorGrid = modelArguments.AgreementPriorGrid ?? [],
            AgreementTargetGrid = modelArguments.AgreementTargetGrid ?? [],
            BlendProbe = modelArguments.BlendProbe,
            Trainer = settings.Trainer with
            {
                Prototypes = prototypes ?? settings.Trainer.Prototypes,
                Rounds = rounds ?? settings.Trainer.Rounds,
                NeighbourKey = neighbourKey ?? settings.Trainer.NeighbourKey,
                ShrinkPrototypes = !modelArguments.NoShrinkage,
                ShrinkageRule = modelArguments.ShrinkageRule ?? settings.Trainer.ShrinkageRule,
                TenantCollaborativeScale = !modelArguments.OwnCollaborativeScale && settings.Trainer.TenantCollaborativeScale,
                ClusterOnContent = !modelArguments.ClusterOnScheme,
            },
        };
        var seeds = Enumerable.Range(firstSeed, seedCount).ToArray();
        var reports = new List<ProtocolReport>();
        var clock = Stopwatch.StartNew();

        foreach (string name in datasetNames)
        {
            PreferenceDataset dataset;
            try
            {
                dataset = Load(name, root, prbPath, polisConversations, splitArguments.Strict);
            }
            catch (Exception error) when (error is ArgumentException or DatasetFormatException or IOException)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
                return 2;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(dataset.Describe())}[/]");
            FeaturizedDataset featurized = null!;
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"encoding {Markup.Escape(dataset.Name)}");
                featurized = await Featurizer.BuildAsync(dataset, space, store, new Progress<(int Done, int Total)>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }), cancellationToken);
                task.Value = task.MaxValue;
            });

            int steps = protocolList.Length * seeds.Length;
            var datasetSplit = splitArguments.ToSplitOptions(dataset.Name).Options!;
            if (datasetSplit.UseSourceSplit && !dataset.Pairs.Any(p => string.Equals(p.SourceSplit?.Trim(), "test", StringComparison.OrdinalIgnoreCase)))
            {
                AnsiConsole.MarkupLine($"[red]--split file: {Markup.Escape(dataset.Name)} has no pair rows whose split column is 'test'.[/]");
                return 2;
            }

            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(context =>
                {
                    var task = context.AddTask(Markup.Escape(dataset.Name), maxValue: steps * 12);
                    reports.AddRange(EvaluationRunner.Run(featurized, protocolList, seeds, datasetSplit, settings, new Progress<string>(p =>
                    {
                        task.Description = Markup.Escape(p.Length > 70 ? p[..70] : p);
                        task.Increment(1);
                    })));
                    task.Value = task.MaxValue;
                    return Task.CompletedTask;
                });
        }

        Directory.CreateDirectory(output);
        string markdown = MarkdownReport.Render(reports);
        await File.WriteAllTextAsync(Path.Combine(output, "evaluation.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "evaluation.json"), JsonSerializer.Serialize(reports, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }), cancellationToken);
        AnsiConsole.WriteLine(markdown);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[green]Wrote {Markup.Escape(Path.Combine(output, "evaluation.md"))} and evaluation.json in {clock.Elapsed.TotalMinutes:F1} min.[/]"));
        return 0;
    }
}
