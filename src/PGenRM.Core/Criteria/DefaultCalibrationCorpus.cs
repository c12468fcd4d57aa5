namespace PGenRM.Core.Criteria;

/// <summary>
/// The calibration corpus of <c>criteria-v1</c>: 24 everyday queries, each with three responses of different
/// style (terse, long, listed, coded, casual, formal, hedged, opinionated, warm, off-topic, …), so that every
/// criterion and every text statistic varies across it. Written for this project.
/// </summary>
internal static class DefaultCalibrationCorpus
{
    private const string Reverse = "How do I reverse a list in Python?";
    private const string Saving = "What's a good way to start saving money?";
    private const string Joke = "Can you tell me a joke about programmers?";
    private const string SocialMedia = "Should social media platforms be regulated by the government?";
    private const string Ww1 = "Summarise the causes of the First World War.";
    private const string Lonely = "I feel lonely since moving to a new city. What can I do?";
    private const string Sky = "Why is the sky blue?";
    private const string Poem = "Write a short poem about autumn.";
    private const string Permission = "How do I fix a \"permission denied\" error when running a script on Linux?";
    private const string Nuclear = "Is nuclear power a good solution to climate change?";
    private const string Hiking = "What should I pack for a week-long hiking trip?";
    private const string NeuralNet = "Explain what a neural network is.";
    private const string Productive = "How can I be more productive when working from home?";
    private const string Virus = "What is the difference between a virus and a bacterium?";
    private const string Bakery = "Give me a name for my new bakery.";
    private const string Meat = "Is it ethical to eat meat?";
    private const string SqlJoin = "How do I join two tables in SQL?";
    private const string Boss = "My boss criticised my work in front of the team. How should I respond?";
    private const string Moon = "What happened during the 1969 Moon landing?";
    private const string Book = "Can you recommend a good book for a long flight?";
    private const string Sourdough = "How do I make my sourdough bread rise more?";
    private const string VotingAge = "Should the voting age be lowered to 16?";
    private const string Inflation = "What is inflation and why does it matter?";
    private const string Apology = "How do I apologise to a friend I hurt?";

    public static IReadOnlyList<CalibrationSample> Samples { get; } =
    [
        new(Reverse, "Use `items.reverse()` to reverse in place, or `items[::-1]` for a reversed copy."),
        new(Reverse, """
            There are two common ways:

            ```python
            numbers = [1, 2, 3]
            numbers.reverse()          # in place: [3, 2, 1]
            copy = numbers[::-1]       # new list, original unchanged
            ```

            Use `reversed(numbers)` if you only need to iterate backwards without building a new list.
            """),
        new(Reverse, "Honestly it's super easy, you just slice it backwards and boom, done! Python's pretty cool like that."),

        new(Saving, "Set up an automatic transfer of 10% of each paycheck into a separate savings account on payday."),
        new(Saving, """
            Here's a simple plan:
            1. Track every expense for one month.
            2. Cancel subscriptions you don't use.
            3. Build an emergency fund of three months of expenses.
            4. Automate a fixed transfer on payday.
            5. Review your budget every quarter.
            """),
        new(Saving, "I'm so glad you're thinking about this! I know it can feel overwhelming, but honestly even small amounts add up. When I started, I saved just $20 a week and it made me feel so much more secure."),

        new(Joke, "Why do programmers prefer dark mode? Because light attracts bugs!"),
        new(Joke, "A programmer's partner says: \"Go to the shop and buy a loaf of bread. If they have eggs, buy a dozen.\" He comes home with twelve loaves. Classic off-by-logic error, and frankly he has no regrets."),
        new(Joke, "I'm afraid I prefer not to make jokes about particular professions, as humour can easily be misunderstood."),

        new(SocialMedia, "Yes. Platforms this powerful should not police themselves, and governments must set clear, enforceable rules."),
        new(SocialMedia, "Supporters of regulation argue that it could reduce misinformation and protect children, while opponents worry that it may threaten free speech and innovation. Much depends on how any rules would be designed and enforced."),
        new(SocialMedia, """
            Arguments for regulation:
            - Reduce harmful content and misinformation
            - Protect user privacy
            - Increase transparency about algorithms

            Arguments against:
            - Risk of censorship
            - Compliance costs for small companies
            - Rules quickly become outdated
            """),

        new(Ww1, "Militarism, alliances, imperialism and nationalism, triggered by the assassination of Archduke Franz Ferdinand in June 1914."),
        new(Ww1, """
            ## Long-term causes
            - **Militarism**: an arms race, especially between Britain and Germany.
            - **Alliances**: the Triple Entente and the Triple Alliance split Europe into two camps.
            - **Imperialism**: rivalry over colonies in Africa and Asia.
            - **Nationalism**: tensions in the Balkans.

            ## Immediate cause
            On 28 June 1914 Gavrilo Princip assassinated Archduke Franz Ferdinand in Sarajevo. Austria-Hungary declared war on Serbia on 28 July, and the alliance system pulled in Russia, Germany, France and Britain within a week.
            """),
        new(Ww1, "Historians still debate this. It was probably a mix of factors, and some would argue that no single cause was decisive; the assassination in Sarajevo may have been only the spark."),

        new(Lonely, "I'm really sorry you're feeling this way. Moving somewhere new is hard, and loneliness is such a heavy feeling. Be gentle with yourself. Maybe start small: a weekly class, a running club, or saying yes to one invitation. What do you enjoy doing in your free time?"),
        new(Lonely, "Join a club or class that meets weekly, volunteer, and use apps like Meetup. Repeated contact with the same people is what builds friendships."),
        new(Lonely, "Interesting fact: the city with the most bridges in the world is Hamburg, with over 2,500 of them."),

        new(Sky, "Rayleigh scattering: air molecules scatter short blue wavelengths much more than red ones."),
        new(Sky, "Sunlight contains all colours. As it passes through the atmosphere, it collides with nitrogen and oxygen molecules, which scatter shorter wavelengths more strongly; the intensity of scattering scales with the inverse fourth power of the wavelength, so blue light at about 450 nm is scattered roughly 5.5 times more than red light at 700 nm. That scattered blue light reaches your eyes from every direction, so the whole sky looks blue. At sunset the light travels through more air, the blue is scattered away, and the reds and oranges remain."),
        new(Sky, "Great question! Basically the air bounces blue light around way more than other colours, so when you look up, blue is everywhere! Pretty neat, right?"),

        new(Poem, """
            Copper leaves let go at last,
            the maple counts its summer past;
            the wind, a thief with gentle hands,
            rakes gold across the sleeping lands.
            """),
        new(Poem, "Autumn is the season between summer and winter, when temperatures fall and many trees lose their leaves."),
        new(Poem, """
            Pumpkin spice in every cup,
            my jumper's on, my heating's up,
            the squirrels panic, hoard and stash,
            while I just rake and buy more trash bags.
            """),

        new(Permission, "Run `chmod +x script.sh`, then `./script.sh`."),
        new(Permission, """
            The error usually means the file is not executable or you lack rights to it.

            1. Check the permissions: `ls -l script.sh`
            2. Make it executable:
               ```bash
               chmod +x script.sh
               ```
            3. If it lives on a partition mounted with `noexec`, run it through the interpreter instead: `bash script.sh`.
            4. Avoid `sudo` unless the script truly needs root, because it runs everything with full privileges.
            """),
        new(Permission, "It might be a permissions issue, or possibly something with how the drive is mounted. It's hard to say without more details. Could you share the exact command and the output of ls -l?"),

        new(Nuclear, "Yes. Nuclear power is one of the safest and lowest-carbon sources of electricity we have, and rejecting it has made the climate problem worse."),
        new(Nuclear, "Nuclear power emits about 12 g of CO2 per kWh over its life cycle, comparable to wind, and provides roughly 10% of the world's electricity. Its drawbacks are high construction costs, long build times of 10 years or more, and the management of radioactive waste."),
        new(Nuclear, "It depends on what you value. It may help reduce emissions, but costs and waste are serious concerns, and reasonable people disagree. Perhaps it could be part of a broader mix."),

        new(Hiking, """
            Essentials:
            - Tent, sleeping bag and mat
            - Water filter and two 1 L bottles
            - Stove, fuel and 7 days of food
            - Rain jacket and warm layers
            - First-aid kit, map, compass, head torch
            """),
        new(Hiking, "Pack light but never skip the safety basics: a map, a first-aid kit, a head torch and enough water. Tell someone your route and when you expect to be back, and check the weather forecast before you leave."),
        new(Hiking, "Oh, you're going to have the best time! I did a week in the Alps last summer and it was magical. Bring snacks, lots of snacks, and good socks. Trust me on the socks!"),

        new(NeuralNet, "A neural network is a function made of layers of simple units that learn, from examples, which outputs to give for which inputs."),
        new(NeuralNet, """
            A neural network computes y = f(W_L … f(W_2 f(W_1 x + b_1) + b_2) …), where each layer applies an affine map followed by a non-linearity such as ReLU. Training minimises a loss such as cross-entropy by stochastic gradient descent, with gradients obtained through backpropagation, i.e. the chain rule applied layer by layer. Depth lets the network compose features hierarchically.

            ```python
            import torch.nn as nn
            model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
            ```
            """),
        new(NeuralNet, "Imagine a huge team of tiny voters. Each one looks at a bit of a picture and shouts how sure it is that it sees a cat. Their votes get passed along, weighed and combined, and after seeing thousands of pictures the team learns whose shouts to trust."),

        new(Productive, "Keep fixed working hours, work from a dedicated space, and plan your three most important tasks every morning."),
        new(Productive, """
            ### Environment
            - A separate desk, ideally not in the bedroom
            - Noise-cancelling headphones

            ### Routine
            - Start and stop at the same time each day
            - Take a 5-minute break every 25 minutes (the Pomodoro technique)

            ### Communication
            - Block focus time in your calendar
            - Turn off chat notifications during deep work
            """),
        new(Productive, "Working from home can be really isolating, and it's normal to struggle with it. Don't be too hard on yourself. What part of the day do you find hardest?"),

        new(Virus, "Bacteria are living single cells that can reproduce on their own; viruses are much smaller and can only replicate inside a host cell. Antibiotics work against bacteria but not viruses."),
        new(Virus, """
            | | Virus | Bacterium |
            |---|---|---|
            | Size | 20–300 nm | 1–10 µm |
            | Alive on its own | No | Yes |
            | Treated by antibiotics | No | Often |

            For example, influenza is caused by a virus, while strep throat is caused by a bacterium.
            """),
        new(Virus, "Both are germs that can make you sick."),

        new(Bakery, "Rise & Shine Bakery."),
        new(Bakery, """
            Here are a few ideas:
            1. The Rolling Pin
            2. Crumb & Co.
            3. Flour Power
            4. Knead to Know
            5. The Daily Loaf
            """),
        new(Bakery, "How about \"Loaf Actually\"? It's a pun on a rom-com, people will remember it, and it sounds like a love letter to bread. What kind of atmosphere are you going for, cosy or modern?"),

        new(Meat, "No. Industrial farming causes enormous animal suffering and environmental damage, and most of us could live healthily without meat."),
        new(Meat, "Philosophers disagree. Utilitarians such as Peter Singer focus on animal suffering, while others emphasise tradition, nutrition and the difference between factory farming and small-scale husbandry. Your answer may depend on which of these considerations you weigh most."),
        new(Meat, "I personally think it's a deeply personal choice. I eat meat occasionally, but I try to buy it from local farms where I know the animals are treated well."),

        new(SqlJoin, """
            Use `JOIN` with the matching key:

            ```sql
            SELECT o.id, c.name
            FROM orders o
            JOIN customers c ON c.id = o.customer_id;
            ```

            Use `LEFT JOIN` instead to keep orders that have no matching customer.
            """),
        new(SqlJoin, "You combine rows from both tables where a column matches, using a join clause in your query."),
        new(SqlJoin, "An inner join returns rows with matches in both tables; a left outer join keeps every row of the left table and fills missing columns with NULL. The optimiser may pick a nested-loop, hash or merge join depending on indexes and cardinality estimates."),

        new(Boss, "That sounds really painful, and it's natural to feel embarrassed or angry. Give yourself a day to cool down, then ask for a private conversation. You could say: \"I value your feedback, and I'd find it easier to act on it in a one-to-one setting.\""),
        new(Boss, "Ask for a private meeting, thank them for the feedback, address the specific points, and calmly say you'd prefer criticism in private."),
        new(Boss, "Public criticism is a poor management practice, and you are entitled to raise it. Do so formally and in writing."),

        new(Moon, "On 20 July 1969, Apollo 11's lunar module Eagle landed in the Sea of Tranquility. Neil Armstrong stepped onto the surface at 02:56 UTC on 21 July, followed by Buzz Aldrin, while Michael Collins orbited in Columbia. They spent about 2.5 hours outside, collected 21.5 kg of samples and returned to Earth on 24 July."),
        new(Moon, "Astronauts landed on the Moon, walked around, and came back to Earth."),
        new(Moon, "Man, what a moment! Armstrong steps off the ladder and says the most famous line ever! Goosebumps every single time!"),

        new(Book, "\"Project Hail Mary\" by Andy Weir: funny, gripping and impossible to put down."),
        new(Book, "I'd love to help! What genres do you usually enjoy, and do you prefer something light or something you can really sink into?"),
        new(Book, "Try \"The Martian\" for humour, \"Sapiens\" if you like big ideas, or \"Circe\" for something literary. All three read quickly, which matters on a 10-hour flight."),

        new(Sourdough, "Feed your starter so it's at its peak, keep the dough at around 24–26 °C, and let the bulk ferment until it has grown by about 50%."),
        new(Sourdough, """
            Likely causes and fixes:
            - Weak starter: feed it twice a day for a few days until it doubles within 6 hours.
            - Cold kitchen: proof somewhere warmer, such as an oven with only the light on.
            - Under-developed gluten: add sets of stretch and folds.
            - Too much water: reduce hydration by 5% and see if the loaf holds its shape.
            """),
        new(Sourdough, "Anyway, I'd recommend trying a good focaccia instead. It's much more forgiving, and everyone loves it."),

        new(VotingAge, "Yes. Sixteen-year-olds work, pay taxes and live with the consequences of policy longer than anyone, so they deserve a vote."),
        new(VotingAge, "Some countries, such as Austria, already allow voting at 16. Supporters say it builds lifelong voting habits; critics question whether teenagers are ready. Evidence from Austria suggests turnout among 16- and 17-year-olds is similar to that of young adults."),
        new(VotingAge, "It's a tricky one. There could be benefits, but there might also be risks, and it probably depends on civic education. I'm not sure there's a clear answer."),

        new(Inflation, "Inflation is the rate at which prices rise over time. It matters because it reduces what your money can buy."),
        new(Inflation, """
            **Inflation** is a sustained rise in the general price level, usually measured by the consumer price index (CPI).

            Why it matters:
            1. **Purchasing power**: at 5% inflation, 100 dollars buys what 95 dollars bought a year earlier.
            2. **Savings**: cash in an account paying 1% loses real value.
            3. **Interest rates**: central banks raise rates to slow inflation, which makes loans more expensive.
            """),
        new(Inflation, "Think of it like this: your sandwich cost 5 bucks last year and now it's 6. Same sandwich, sadder wallet. That's inflation, and it's why your grandma talks about penny sweets!"),

        new(Apology, "I'm sorry you're carrying this; it shows how much the friendship means to you. Reach out soon, say clearly what you did and how it affected them, without excuses, and ask what you can do to make it right. Then give them time."),
        new(Apology, "Say what you did, say you're sorry, don't add \"but\", and ask how you can make it right."),
        new(Apology, "Please remember that an apology can't force forgiveness. Avoid pressuring your friend, respect their need for space, and be careful not to make the conversation about your own guilt."),
    ];
}
