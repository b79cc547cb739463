"""The community topic."""

from actions.topic_reply import TopicReply


class ActionCommunity(TopicReply):
    topic = "community"
