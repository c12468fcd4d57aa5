namespace PGenRM.Core.Scenarios;

/// <summary>
/// The scenarios of <c>scenarios-v1</c>. Each mixes one summary sentence with typical queries, because the
/// centroid is compared with query embeddings, which look like questions rather than like definitions.
/// </summary>
internal static class DefaultScenarios
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("advice", "Advice",
        [
            "Personal and practical advice about life, relationships, work, money and health.",
            "How should I talk to my manager about a raise?",
            "My friend stopped replying to my messages. What should I do?",
            "What's the best way to save for a house deposit?",
            "How can I sleep better when I'm stressed?",
            "Should I take the job offer in another city?",
        ]),
        new("technical", "Technical",
        [
            "Programming, software, computers and technical how-to explanations.",
            "How do I fix a null reference exception in C#?",
            "Write a Python function that removes duplicates from a list.",
            "What is the difference between TCP and UDP?",
            "How do I set up SSH keys for GitHub?",
            "Why is my SQL query so slow?",
        ]),
        new("creative", "Creative writing",
        [
            "Creative writing: stories, poems, jokes, names, song lyrics and imaginative ideas.",
            "Write a short story about a dragon who is afraid of fire.",
            "Tell me a joke about cats.",
            "Write a poem about the sea at night.",
            "Give me ten fun names for a fantasy tavern.",
            "Write a birthday message for my grandmother in rhyme.",
        ]),
        new("opinion", "Opinion and debate",
        [
            "Opinions, politics, society, ethics and debatable policy statements.",
            "Should the government raise taxes on the rich?",
            "Is capital punishment ever justified?",
            "Public transport should be free for everyone.",
            "Do social media companies have too much power?",
            "Is it wrong to eat animals?",
        ]),
        new("information", "Information",
        [
            "Facts, explanations, definitions, history, science and summaries of texts.",
            "What causes the seasons on Earth?",
            "Summarise this article about climate policy in three sentences.",
            "Who was the first emperor of Rome?",
            "Explain how vaccines work.",
            "What is the population of Japan?",
        ]),
        new("conversation", "Conversation",
        [
            "Casual chat, greetings, small talk and sharing feelings or everyday news.",
            "Hi! How are you today?",
            "I just got back from holiday and I'm feeling a bit down.",
            "Guess what, I passed my driving test!",
            "What did you think of the weather this weekend?",
            "I'm bored, let's chat.",
        ]),
    ];
}
