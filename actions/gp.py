"""The gp topic."""

from actions.topic_reply import TopicReply


class ActionGp(TopicReply):
    topic = "gp"
