# vpcraft's messages in English: the source catalogue. Every message here is also in ko.ftl.

## Lessons
lesson-hop = { $count ->
    [one] hop
   *[other] hops
}
