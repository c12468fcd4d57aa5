namespace PGenRM.Core.Criteria;

/// <summary>
/// The criteria of <c>criteria-v1</c>. Anchors come in topic-matched pairs (positive i and negative i talk about
/// the same thing) so that the difference of their means keeps the style and cancels the topic.
/// Pole labels are adjectives because the persona renders them as "prefers concise, direct … answers".
/// </summary>
internal static class DefaultCriteria
{
    public static IReadOnlyList<Criterion> All { get; } =
    [
        new(
            "concise", "Concise vs detailed",
            "Whether the response is brief and to the point rather than long and exhaustive.",
            "Concise", "Detailed",
            [
                "Restart the router.",
                "Yes, Python lists keep insertion order.",
                "Paris is the capital of France.",
            ],
            [
                "There are several things worth checking before you restart the router: first look at the cables, then the status lights, then the settings page, and only after all of that try a full restart while noting what changes.",
                "Python lists keep insertion order, which follows from how they are implemented as dynamic arrays; every append writes to the next slot, so iteration always walks the elements in the order they were added, and this has held in every version of the language.",
                "Paris is the capital of France, a role it has held for most of the country's history; it is also the largest city, the seat of government and parliament, and the centre of French culture, finance and transport.",
            ],
            TextStatisticKind.Brevity),
        new(
            "formal", "Formal vs casual",
            "Whether the response uses a formal, professional register rather than a casual, chatty one.",
            "Formal", "Casual",
            [
                "I would recommend reviewing the contract carefully before signing it.",
                "Thank you for your enquiry; the requested documents are attached.",
                "The results indicate a statistically significant improvement.",
            ],
            [
                "Honestly I'd just skim the contract and sign it, no big deal.",
                "Hey, got your message! Here's the stuff you wanted.",
                "So yeah, turns out it worked way better, pretty cool.",
            ],
            TextStatisticKind.Formality),
        new(
            "humour", "Humour",
            "Whether the response is playful and witty, with jokes or light teasing, rather than strictly serious.",
            "Humorous", "Serious",
            [
                "Debugging is like being the detective in a crime movie where you are also the murderer.",
                "My cat ignores me with the dedication of someone paid to do it full time.",
                "Monday called; it wants its coffee back, and frankly so do I.",
            ],
            [
                "Debugging is the process of finding and removing defects in software.",
                "Cats often spend long periods resting and may not respond when called.",
                "Many people drink coffee in the morning to feel more alert at work.",
            ]),
        new(
            "empathy", "Empathy and warmth",
            "Whether the response acknowledges the person's feelings and sounds warm and supportive rather than detached.",
            "Warm", "Detached",
            [
                "I'm so sorry you're going through this; it sounds really hard, and it makes sense that you feel exhausted.",
                "That must have been frightening. You handled it better than you think.",
                "It's completely understandable to feel nervous before an interview, and you're not alone in that.",
            ],
            [
                "Fatigue has many causes; record your sleep hours and consult a doctor if it persists.",
                "The incident was handled according to standard procedure.",
                "Interview anxiety is common. Prepare answers to standard questions.",
            ]),
        new(
            "structure", "Structure",
            "Whether the response is organised with headings, numbered steps or bullet lists rather than written as continuous prose.",
            "Structured", "Free-flowing",
            [
                "## Steps\n1. Install the package.\n2. Set the API key.\n3. Run the tests.",
                "Pros:\n- cheaper\n- faster\nCons:\n- less reliable",
                "Summary:\n- Main cause: high interest rates\n- Effect: fewer home sales\n- Outlook: slow recovery",
            ],
            [
                "First install the package, then set the API key, and once that is done you can run the tests.",
                "It is cheaper and faster, although it tends to be less reliable than the alternative.",
                "High interest rates led to fewer home sales, and most economists expect only a slow recovery.",
            ],
            TextStatisticKind.ListStructure),
        new(
            "examples", "Examples and code",
            "Whether the response illustrates its points with concrete examples or code snippets rather than staying abstract.",
            "Example-rich", "Abstract",
            [
                "For example, `sorted(names, key=len)` sorts the names by length.",
                "```python\nfor item in items:\n    print(item)\n```",
                "For instance, a 5% raise on a salary of 40,000 adds 2,000 a year.",
            ],
            [
                "Sorting can be customised by supplying a key function.",
                "You can iterate over the collection and output each element.",
                "A percentage raise increases your salary in proportion to its current level.",
            ],
            TextStatisticKind.CodeAndExamples),
        new(
            "directness", "Directness",
            "Whether the response answers the question immediately and plainly rather than circling around it.",
            "Direct", "Roundabout",
            [
                "No. That medication should not be taken with alcohol.",
                "Buy the cheaper laptop; the extra cost gets you nothing you need.",
                "The bug is on line 12: the loop starts at 1 instead of 0.",
            ],
            [
                "That's a great question, and there are many factors people consider when thinking about medication and alcohol in general.",
                "Well, choosing a laptop depends on a lot of things, and everyone has different needs, so let's think about what matters.",
                "There could be a number of reasons code behaves unexpectedly, so it helps to step back and consider the bigger picture first.",
            ]),
        new(
            "hedging", "Hedging",
            "Whether the response qualifies its claims with caveats and uncertainty rather than stating them with confidence.",
            "Hedged", "Confident",
            [
                "It might work, but it probably depends on your setup, so I can't be sure.",
                "This is possibly the cause, although other explanations seem plausible too.",
                "Results may vary, and it's generally hard to say in advance how long it takes.",
            ],
            [
                "It will work with your setup.",
                "This is the cause.",
                "You will see the result within a week.",
            ],
            TextStatisticKind.HedgeWords),
        new(
            "technical", "Technical depth",
            "Whether the response goes into expert-level technical detail and terminology rather than keeping to plain language.",
            "Technical", "Plain",
            [
                "The hash map gives amortised O(1) lookups, but resizing triggers rehashing and can cause latency spikes under contention.",
                "TCP's congestion window grows exponentially during slow start until packet loss triggers a multiplicative decrease.",
                "Insulin binds to receptor tyrosine kinases, triggering GLUT4 translocation to the cell membrane.",
            ],
            [
                "A hash map lets you find things quickly by name.",
                "The internet slows down a bit when too many people use it at once.",
                "Insulin helps your body use the sugar from food for energy.",
            ]),
        new(
            "stance", "Stance",
            "Whether the response takes a clear position of its own rather than presenting the sides neutrally.",
            "Opinionated", "Neutral",
            [
                "Remote work is simply better, and companies forcing people back to the office are making a mistake.",
                "The policy is unfair and should be repealed.",
                "Cats make far better pets than dogs, no contest.",
            ],
            [
                "Remote work has advantages and drawbacks, and opinions differ on which matter more.",
                "Supporters say the policy is fair, while critics argue it should be repealed.",
                "Some people prefer cats and others prefer dogs; both can be good pets.",
            ]),
        new(
            "relevance", "Relevance to the query",
            "Whether the response addresses what the user actually asked rather than drifting to other topics.",
            "On-topic", "Off-topic",
            [
                "To answer your question directly: here is exactly what you asked about.",
                "As you asked, this explains the specific point in your question.",
                "Regarding your question, the answer is the following.",
            ],
            [
                "Unrelated to that, but have you ever thought about learning to bake bread?",
                "Anyway, let me tell you about something completely different.",
                "I'd rather talk about the weather today.",
            ],
            TextStatisticKind.QueryRelevance),
        new(
            "creativity", "Creativity",
            "Whether the response is original and imaginative rather than conventional and predictable.",
            "Creative", "Conventional",
            [
                "Imagine your budget as a garden: every expense is a weed competing with your savings for sunlight.",
                "The moon hung over the city like a forgotten streetlamp, humming to itself.",
                "Instead of a cake, build a tower of pancakes with a candle on every layer.",
            ],
            [
                "A budget is a plan that lists your income and your expenses.",
                "The moon was visible over the city at night.",
                "A birthday cake with candles is the usual choice for a party.",
            ]),
        new(
            "safety", "Safety and caution",
            "Whether the response points out risks, warnings and safe practice rather than leaving them out.",
            "Safety-conscious", "Unguarded",
            [
                "Turn off the power at the breaker before touching any wiring, and wear insulated gloves.",
                "Please do not mix bleach and ammonia; the fumes are toxic.",
                "Check with your doctor before starting a fast, especially if you take medication.",
            ],
            [
                "Just pull the old wires out and connect the new fixture.",
                "Mix whatever cleaners you have for a stronger effect.",
                "Skip meals for a few days and you will lose weight quickly.",
            ]),
        new(
            "politeness", "Politeness",
            "Whether the response is courteous and respectful in tone rather than curt or dismissive.",
            "Polite", "Blunt",
            [
                "Thank you for asking, and I hope this helps; please let me know if anything is unclear.",
                "That's a fair point, and I appreciate you raising it.",
                "Would you mind sharing the error message? It would help a great deal.",
            ],
            [
                "Read the manual.",
                "That's wrong, obviously.",
                "Send the error message. Can't help without it.",
            ]),
        new(
            "personal", "Personal perspective",
            "Whether the response speaks in the first person from its own experience or view rather than impersonally.",
            "Personal", "Impersonal",
            [
                "When I moved abroad, I found that my first month was the hardest.",
                "I love this recipe; I make it every Sunday.",
                "In my experience, I learn best by building small projects.",
            ],
            [
                "Moving abroad is often hardest during the first month.",
                "This recipe is popular for weekend meals.",
                "People often learn programming best by building small projects.",
            ],
            TextStatisticKind.FirstPerson),
        new(
            "precision", "Factual precision",
            "Whether the response gives specific facts, numbers, names and dates rather than vague generalities.",
            "Precise", "Vague",
            [
                "The Eiffel Tower is 330 metres tall and opened in March 1889.",
                "Take 400 mg of ibuprofen every 6 to 8 hours, at most 1,200 mg a day.",
                "The 2008 crisis deepened when Lehman Brothers collapsed on 15 September.",
            ],
            [
                "The Eiffel Tower is very tall and quite old.",
                "Take some ibuprofen every few hours, but not too much.",
                "The financial crisis deepened when a big bank collapsed a while ago.",
            ],
            TextStatisticKind.Numerals),
        new(
            "actionable", "Actionable advice",
            "Whether the response gives concrete next steps the person can act on rather than only describing the situation.",
            "Actionable", "Descriptive",
            [
                "Tonight, write down three expenses you can cut, and set up an automatic transfer to savings.",
                "Open Settings, choose Privacy, and switch off location history.",
                "Email your manager today and ask for a fifteen-minute meeting about your workload.",
            ],
            [
                "Saving money is something many households struggle with.",
                "Location history is a feature that records where your phone has been.",
                "Workload problems are common in many workplaces.",
            ]),
        new(
            "optimism", "Optimism",
            "Whether the response has a hopeful, positive outlook rather than a gloomy or discouraging one.",
            "Optimistic", "Pessimistic",
            [
                "This is a setback, but you have every chance of getting the next job.",
                "The technology is improving fast, and the future looks bright.",
                "With a bit of practice you'll be playing this song in no time.",
            ],
            [
                "This is a setback, and the job market is only going to get worse.",
                "The technology has stalled, and the future looks bleak.",
                "Most adults who start the guitar give up within months.",
            ]),
        new(
            "enthusiasm", "Enthusiasm",
            "Whether the response sounds energetic and excited rather than calm and reserved.",
            "Enthusiastic", "Reserved",
            [
                "Wow, what a fantastic idea! I can't wait to see it!",
                "Congratulations! That's amazing news!",
                "Yes! This trick will absolutely change how you cook!",
            ],
            [
                "That idea seems workable.",
                "Congratulations on the news.",
                "This technique can be useful in cooking.",
            ],
            TextStatisticKind.Exclamations),
        new(
            "engagement", "Engaging the user",
            "Whether the response invites the person to continue, with clarifying or follow-up questions, rather than closing the conversation.",
            "Engaging", "Closed",
            [
                "What kind of budget do you have in mind? And is battery life important to you?",
                "Could you tell me more about what you have already tried?",
                "Would you like me to go through an example together?",
            ],
            [
                "Here is the laptop to buy.",
                "That is everything you need to know.",
                "This answer covers the topic completely.",
            ],
            TextStatisticKind.Questions),
    ];
}
