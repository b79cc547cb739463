"""The mental_health topic."""

from actions.topic_reply import TopicReply


class ActionMentalHealth(TopicReply):
    topic = "mental_health"
