//! The gallery's index: every shipped example's name, label and group, and where its file is.
//! This is all of the examples that is compiled into the app; the files themselves are
//! fetched when the gallery opens or an example is opened.
//!
//! Plain data with no dependencies, so that `engine/tests/gallery_index.rs` can include this
//! very file and check that every entry names a file in `public/scenarios/` that opens.

/// The folder the app's scenario files are served from, relative to the page, so a build
/// served under a sub-path fetches them from beside its `index.html`.
pub const SCENARIOS: &str = "scenarios/";

/// The suffix that names a story's cure: `goodput-collapse-cured`.
pub const CURED: &str = "-cured";

/// One tile of the gallery: a story (a problem and its cure) or a single scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Story {
    /// The name in `#example=<name>` and `data-testid="example-<name>"`; a pair's cure is
    /// `<name>-cured`.
    pub name: &'static str,
    /// What the gallery calls it.
    pub label: &'static str,
    /// The section it is listed under.
    pub group: &'static str,
    /// A pair, or one file.
    pub shape: Shape,
}

/// Whether a story comes with its cure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `patterns/<name>.json` shows the problem, `patterns/<name>-cured.json` the cure.
    Pair,
    /// One scenario, at this path under [`SCENARIOS`].
    Single(&'static str),
}

/// Which file of a story an entry opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Half {
    /// A pair's problem.
    Problem,
    /// A pair's cure.
    Cure,
    /// The only file of a single scenario.
    Only,
}

/// One openable file: a story's problem or cure, or a single scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The story it belongs to.
    pub story: Story,
    /// Which of its files.
    pub half: Half,
}

impl Entry {
    /// Its name: the story's, with [`CURED`] after it for a cure.
    pub fn name(self) -> String {
        match self.half {
            Half::Cure => format!("{}{CURED}", self.story.name),
            Half::Problem | Half::Only => self.story.name.to_string(),
        }
    }

    /// Its file, relative to the page.
    pub fn path(self) -> String {
        match (self.story.shape, self.half) {
            (Shape::Single(path), _) => format!("{SCENARIOS}{path}"),
            (Shape::Pair, _) => format!("{SCENARIOS}patterns/{}.json", self.name()),
        }
    }

    /// What its tile says beside the story's label.
    pub fn caption(self) -> &'static str {
        match self.half {
            Half::Problem => "The problem",
            Half::Cure => "Cured",
            Half::Only => "",
        }
    }
}

impl Story {
    /// Its openable entries, in the order shown: problem then cure, or the one file.
    pub fn entries(self) -> Vec<Entry> {
        let halves: &[Half] = match self.shape {
            Shape::Pair => &[Half::Problem, Half::Cure],
            Shape::Single(_) => &[Half::Only],
        };
        halves
            .iter()
            .map(|&half| Entry { story: self, half })
            .collect()
    }
}

/// Every example, in gallery order; groups appear in the order of their first story.
pub const STORIES: [Story; 18] = [
    Story {
        name: "default",
        label: "Reference architecture",
        group: "Start here",
        shape: Shape::Single("default.json"),
    },
    Story {
        name: "goodput-collapse",
        label: "Goodput collapse",
        group: "Timeouts and deadlines",
        shape: Shape::Pair,
    },
    Story {
        name: "timeout-cascade",
        label: "Timeout cascade",
        group: "Timeouts and deadlines",
        shape: Shape::Pair,
    },
    Story {
        name: "pool-exhaustion",
        label: "Pool exhaustion",
        group: "Bulkheads",
        shape: Shape::Pair,
    },
    Story {
        name: "retry-storm",
        label: "Retry storm",
        group: "Retries and breakers",
        shape: Shape::Pair,
    },
    Story {
        name: "thundering-herd",
        label: "Thundering herd",
        group: "Retries and breakers",
        shape: Shape::Pair,
    },
    Story {
        name: "lb-sinkhole",
        label: "Load-balancer sinkhole",
        group: "Retries and breakers",
        shape: Shape::Pair,
    },
    Story {
        name: "db-failure",
        label: "Database failure",
        group: "Retries and breakers",
        shape: Shape::Pair,
    },
    Story {
        name: "tail-latency",
        label: "Tail latency",
        group: "Hedging",
        shape: Shape::Pair,
    },
    Story {
        name: "hot-shard",
        label: "Hot shard",
        group: "Sharding",
        shape: Shape::Pair,
    },
    Story {
        name: "reshard",
        label: "Resharding",
        group: "Sharding",
        shape: Shape::Pair,
    },
    Story {
        name: "scatter-gather",
        label: "Scatter-gather",
        group: "Sharding",
        shape: Shape::Pair,
    },
    Story {
        name: "cache-stampede",
        label: "Cache stampede",
        group: "Caching",
        shape: Shape::Pair,
    },
    Story {
        name: "mm1",
        label: "M/M/1 queue",
        group: "Queueing theory",
        shape: Shape::Single("validation/mm1.json"),
    },
    Story {
        name: "mmc",
        label: "M/M/c queue (Erlang C)",
        group: "Queueing theory",
        shape: Shape::Single("validation/mmc.json"),
    },
    Story {
        name: "mm1k",
        label: "M/M/1/K queue (blocking)",
        group: "Queueing theory",
        shape: Shape::Single("validation/mm1k.json"),
    },
    Story {
        name: "jackson",
        label: "Open Jackson network",
        group: "Queueing theory",
        shape: Shape::Single("validation/jackson.json"),
    },
    Story {
        name: "mm4",
        label: "M/M/4 benchmark",
        group: "Queueing theory",
        shape: Shape::Single("bench/mm4.json"),
    },
];

/// Every openable entry, in gallery order.
pub fn entries() -> Vec<Entry> {
    STORIES.iter().flat_map(|s| s.entries()).collect()
}

/// The entry called `name` (`mm1`, `goodput-collapse`, `goodput-collapse-cured`), if any.
pub fn entry(name: &str) -> Option<Entry> {
    entries().into_iter().find(|e| e.name() == name)
}

/// The groups, in gallery order, each once.
pub fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for story in STORIES {
        if !groups.contains(&story.group) {
            groups.push(story.group);
        }
    }
    groups
}
