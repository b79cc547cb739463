"""The screening topic."""

from actions.topic_reply import TopicReply


class ActionScreening(TopicReply):
    topic = "screening"
