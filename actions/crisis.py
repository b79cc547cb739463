"""The crisis topic."""

from actions.topic_reply import TopicReply


class ActionCrisis(TopicReply):
    topic = "crisis"
