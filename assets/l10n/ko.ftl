# vpcraft의 한국어 메시지. en.ftl의 모든 메시지가 여기에도 있습니다.

## Lessons
lesson-hop = 홉
